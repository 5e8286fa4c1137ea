import type { Static } from 'typebox';
import { api } from '../../app/api.js';
import type { PollChoiceSchema, ProposalViewSchema } from '../../../server/features/proposals/schemas.js';

/** The proposals' API (docs/proposals-api.md); the types come from the server's schemas. */

export type Proposal = Static<typeof ProposalViewSchema>;
export type PositionKind = Proposal['positions'][number]['position'];
export type Eligibility = Proposal['eligibility'];
export type PollChoice = Static<typeof PollChoiceSchema>;
export const POSITION_KINDS: readonly PositionKind[] = ['agree', 'abstain', 'disagree', 'block'];

const id = (value: string) => encodeURIComponent(value);

export const proposalsApi = {
  ofThread: (threadId: string, signal?: AbortSignal) => api.get<{ items: Proposal[]; mayPropose: boolean }>(`/threads/${id(threadId)}/proposals`, { signal }),
  create: (threadId: string, input: { statement: string; closesAt: string; eligibility: Eligibility }) => api.post<{ proposal: Proposal }>(`/threads/${id(threadId)}/proposals`, input).then((r) => r.proposal),
  take: (proposalId: string, input: { position: PositionKind; reason: string | null; replaces?: number | null }) => api.put<{ proposal: Proposal }>(`/proposals/${id(proposalId)}/position`, input).then((r) => r.proposal),
  close: (proposalId: string) => api.post<{ proposal: Proposal }>(`/proposals/${id(proposalId)}/close`).then((r) => r.proposal),
  pollChoices: (threadId: string, signal?: AbortSignal) => api.get<{ items: PollChoice[] }>(`/threads/${id(threadId)}/proposals/poll-choices`, { signal }).then((r) => r.items),
  fromPoll: (threadId: string, input: { pollId: string; closesAt: string; statement?: string }) => api.post<{ proposal: Proposal }>(`/threads/${id(threadId)}/proposals/from-poll`, input).then((r) => r.proposal),
  outcome: (proposalId: string, input: { markdown: string; concludeThread: boolean }) => api.put<{ proposal: Proposal }>(`/proposals/${id(proposalId)}/outcome`, input).then((r) => r.proposal),
};
