import { msg, str } from '@lit/localize';
import { plural } from './plural.js';
import { isApiError } from './api.js';
import { currentLocale } from './i18n.js';

/**
 * What to tell a person about a failed request, in their language. Views pass the error
 * here rather than showing the server's English message.
 */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return msg('Something went wrong. Please try again.');
  switch (error.code) {
    case 'network_error':
      return msg('The server could not be reached. Check your connection and try again.');
    case 'database_unavailable':
      return msg('The forum cannot reach its database just now. Try again in a few seconds: what you typed is kept here.');
    case 'internal_error':
    case 'bad_response':
      return msg('Something went wrong on our side. Please try again in a moment.');
    case 'validation_failed':
      return msg('Some fields need your attention.');
    case 'unauthenticated':
      return msg('Your session has ended. Sign in again in another tab, then try once more: what you typed is kept here.');
    case 'forbidden':
      return msg('You are not allowed to do this.');
    case 'cross_origin_refused':
      return msg('The request was refused because it did not come from this site. Reload the page and try again.');
    case 'not_found':
      return msg('This was not found. It may have been removed.');
    case 'invalid_credentials':
      return msg('The e-mail or the password is not right.');
    case 'too_many_attempts': {
      const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
      return plural(minutes, { one: msg(str`Too many failed attempts. Wait ${minutes} minute, then try again.`, { id: 'wait-minutes.one' }), other: msg(str`Too many failed attempts. Wait ${minutes} minutes, then try again.`, { id: 'wait-minutes.other' }) });
    }
    case 'already_set_up':
      return msg('Concilia is already set up. Sign in instead.');
    case 'email_taken':
      return msg('Someone with this e-mail already has an account.');
    case 'already_member':
      return msg('This person is already a member of this group.');
    case 'slug_taken':
      return msg('Another group already has this address.');
    case 'not_a_member':
      return msg('You are not a member of this group.');
    case 'no_such_account':
      return msg('Nobody has an account with this e-mail yet: create the group without them, then invite them from its people page.');
    case 'invitation_used':
      return msg('This invitation has already been used. Sign in instead.');
    case 'invitation_revoked':
      return msg('This invitation was withdrawn. Ask the coordinator for a new one.');
    case 'invitation_expired':
      return msg('This invitation has expired. Ask the coordinator for a new one.');
    case 'reset_link_invalid':
      return msg('This password reset link has expired or was already used. Ask an administrator for a new one.');
    case 'wrong_current_password':
      return msg('The current password is not right.');
    case 'invalid_time_zone':
      return msg('Choose a time zone from the list.');
    case 'unknown_country':
      return msg('Choose a country from the list.');
    case 'unknown_organization':
      return msg('Choose an organization from the list.');
    case 'country_required':
      return msg('A member must belong to a country.');
    case 'organization_required':
      return msg('This role needs an organization.');
    case 'ambiguous_affiliation':
      return msg('Choose a country or an organization, not both.');
    case 'last_admin':
      return msg('The group needs at least one active administrator.');
    case 'cannot_deactivate_self':
      return msg('You cannot deactivate your own account.');
    case 'user_deactivated':
      return msg('This person is deactivated.');
    case 'not_a_country_member':
      return msg('Only members of a country delegation can be focal points or alternates.');
    case 'rate_limited':
      return msg('Too many requests. Wait a moment and try again.');
    case 'no_file':
      return msg('Choose a file to upload.');
    case 'file_too_large':
      return msg('This file is larger than the library accepts. Compress it or split it into parts, then try again.');
    case 'unsupported_type':
      return msg('This type of file is not accepted. Upload a PDF, a Word, Excel or PowerPoint file, an OpenDocument file, a CSV or text file, a ZIP archive, or a PNG or JPEG image.');
    case 'type_mismatch':
      return msg('The content of this file does not match its extension (for example, a web page renamed to .pdf). Save it again in the right format and upload that.');
    case 'invalid_file_name':
      return msg('The name of this file is not accepted. Rename it without slashes, invisible characters or characters that change the direction of the text, and try again.');
    case 'unknown_indicator':
      return msg('One of the chosen indicators is not in the framework. Choose them again from the list.');
    case 'unknown_reference':
      return msg('The author is not a country or organization of the forum. Choose it from the list.');
    case 'not_deleted':
      return msg('This document is not in the trash any more.');
    default:
      return currentLocale() === 'en' && error.message ? error.message : msg('The request could not be completed. Please try again.');
  }
}

/** A server-side problem with one field, translated from the validator's wording. */
export function describeFieldProblem(field: string, problem: string): string {
  const tooShort = /fewer than (\d+) characters/.exec(problem);
  if (tooShort) {
    const count = Number(tooShort[1]);
    return count <= 1 ? msg('This field is required.') : msg(str`Use at least ${count} characters.`);
  }
  const tooLong = /more than (\d+) characters/.exec(problem);
  if (tooLong) {
    const count = Number(tooLong[1]);
    return msg(str`Use at most ${count} characters.`);
  }
  if (problem === 'is required') return msg('This field is required.');
  if (/fewer than 1 items/.test(problem)) return msg('Choose at least one.');
  if (/format "date"/.test(problem)) return msg('Enter a valid date.');
  if (field === 'currentPassword') return msg('The current password is not right.');
  if (problem === 'is your current address') return msg('This is already your address.');
  if (/format "email"/.test(problem) || field === 'email') return msg('Enter a valid e-mail address.');
  if (/time zone/i.test(problem)) return msg('Choose a time zone from the list.');
  if (problem === 'is taken') return msg('This is taken: choose another.');
  if (problem === 'has no account') return msg('Nobody has an account with this e-mail.');
  if (field === 'slug') return msg('Use 2 to 40 lower-case letters, digits and hyphens, beginning and ending with a letter or digit.');
  if (/must match pattern/.test(problem)) return msg('This field cannot be blank.');
  if (field === 'countryId') return msg('Choose a country from the list.');
  if (field === 'organizationId') return msg('Choose an organization from the list.');
  return msg('This value is not valid.');
}
