import { msg } from '@lit/localize';
import type { CaseStatus } from './discrepancies-api.js';

/** The order a case moves through, and the matrix's legend. */
export const STATUSES: readonly CaseStatus[] = ['identified', 'under_review', 'explained', 'reconciling', 'reconciled', 'documented', 'closed_invalid'];

export function statusLabel(status: string): string {
  switch (status) {
    case 'identified':
      return msg('Identified');
    case 'under_review':
      return msg('Under review');
    case 'explained':
      return msg('Explained');
    case 'reconciling':
      return msg('Reconciling');
    case 'reconciled':
      return msg('Reconciled');
    case 'documented':
      return msg('Documented (side by side)');
    case 'closed_invalid':
      return msg('Closed as invalid');
    default:
      return status;
  }
}

export const CAUSES = [
  'different_source',
  'definition_coverage',
  'agency_adjustment',
  'agency_estimate',
  'agency_model',
  'population_base',
  'timeliness',
  'not_transmitted',
  'reference_period',
  'disaggregation',
  'units',
  'processing_error',
  'other',
] as const;

export function causeLabel(cause: string): string {
  switch (cause) {
    case 'different_source':
      return msg('Different source');
    case 'definition_coverage':
      return msg('Definition or coverage');
    case 'agency_adjustment':
      return msg('Adjustment by the agency (CA)');
    case 'agency_estimate':
      return msg('Estimate by the agency (E)');
    case 'agency_model':
      return msg('Model by the agency (M)');
    case 'population_base':
      return msg('Population base or projections');
    case 'timeliness':
      return msg('Timeliness or older vintage');
    case 'not_transmitted':
      return msg('Data not transmitted');
    case 'reference_period':
      return msg('Reference period');
    case 'disaggregation':
      return msg('Disaggregation');
    case 'units':
      return msg('Units');
    case 'processing_error':
      return msg('Processing error');
    case 'other':
      return msg('Other cause');
    default:
      return cause;
  }
}

export function natureLabel(nature: string | null): string {
  switch (nature) {
    case 'C':
      return msg('Country data (C)');
    case 'CA':
      return msg('Country data adjusted by the agency (CA)');
    case 'E':
      return msg('Estimated by the agency (E)');
    case 'M':
      return msg('Modelled by the agency (M)');
    case 'G':
      return msg('Global monitoring data (G)');
    case 'N':
      return msg('Not relevant (N)');
    case 'NA':
      return msg('Not available (NA)');
    default:
      return msg('Nature not given');
  }
}

export function changeLabel(change: string): string {
  switch (change) {
    case 'value_changed':
      return msg('The value changed');
    case 'nature_changed':
      return msg('The nature changed');
    case 'now_within_tolerance':
      return msg('Now within tolerance');
    case 'observation_removed':
      return msg('The value is no longer in the release');
    case 'not_comparable':
      return msg('No longer comparable (units)');
    default:
      return change;
  }
}

export function relationLabel(relation: string): string {
  switch (relation) {
    case 'country_delegation':
      return msg('Country delegation');
    case 'coordinator':
      return msg('Coordinator', { desc: 'Role: coordinates the working group' });
    case 'secretariat':
      return msg('Secretariat', { desc: 'Role: ECLAC staff acting as technical secretariat' });
    case 'agency_observer':
      return msg('Agency observer');
    default:
      return relation;
  }
}
