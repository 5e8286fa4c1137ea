import type { Role } from '../../shared/roles.js';

/**
 * Who may do what in debates: the single place these rules live. Routes declare the coarse rule
 * (signed-in, or a role list) in config.access; these functions decide on the specific thread,
 * post or category.
 */
export const MODERATOR_ROLES: Role[] = ['admin', 'coordinator'];

export interface Actor {
  id: string;
  role: Role;
}

export const isModerator = (actor: Pick<Actor, 'role'>) => MODERATOR_ROLES.includes(actor.role);

/** Null startRoles: every participant. Administrators may start anywhere. */
export const mayStartIn = (actor: Pick<Actor, 'role'>, category: { startRoles: string[] | null }) =>
  category.startRoles === null || actor.role === 'admin' || category.startRoles.includes(actor.role);

/** A locked thread takes replies from moderators only. */
export const mayReply = (actor: Pick<Actor, 'role'>, thread: { locked: boolean }) => !thread.locked || isModerator(actor);

/** Only the author edits a post's text, and not once it is withdrawn. */
export const mayEditPost = (actor: Actor, post: { authorId: string; state: string }) => post.authorId === actor.id && post.state !== 'withdrawn';

export const mayWithdrawPost = mayEditPost;

/** Title, tags and indicators: the thread's author or a moderator. */
export const mayEditThread = (actor: Actor, thread: { authorId: string }) => thread.authorId === actor.id || isModerator(actor);

/** The Markdown source, for editing or quoting: author or moderator, and never once withdrawn. */
export const mayReadSource = (actor: Actor, post: { authorId: string; state: string }) =>
  post.state !== 'withdrawn' && (post.authorId === actor.id || isModerator(actor));

/** A hidden post's text and the reason stay visible to moderators and its author. */
export const maySeeHidden = (actor: Actor, post: { authorId: string }) => isModerator(actor) || post.authorId === actor.id;

export const mayAgree = (actor: Actor, post: { authorId: string; state: string }) => post.authorId !== actor.id && post.state === 'visible';
