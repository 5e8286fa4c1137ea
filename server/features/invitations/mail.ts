import { defineTexts } from '../../plugins/mail/index.js';

/** The invitation mail: transactional (it is how an account begins), in the language the inviter chose for it. */
export const INVITATION_KIND = 'account.invitation';

const ROLE_NAMES = {
  en: { admin: 'administrator', coordinator: 'coordinator', secretariat: 'secretariat', member: 'member', observer: 'observer' },
  es: { admin: 'administrador/a', coordinator: 'coordinación', secretariat: 'secretaría', member: 'miembro', observer: 'observador/a' },
  pt: { admin: 'administrador(a)', coordinator: 'coordenação', secretariat: 'secretaria', member: 'membro', observer: 'observador(a)' },
  fr: { admin: 'administrateur·rice', coordinator: 'coordination', secretariat: 'secrétariat', member: 'membre', observer: 'observateur·rice' },
} as const;

type RoleName = keyof (typeof ROLE_NAMES)['en'];

export const invitationTexts = defineTexts({
  en: {
    subject: (group: string) => `You are invited to ${group} on Concilia`,
    intro: (inviter: string, group: string, role: RoleName) => `${inviter} invites you to join ${group} on Concilia, its collaborative forum, as ${ROLE_NAMES.en[role]}.`,
    button: 'Accept the invitation',
    expires: (when: string) => `The invitation works once, until ${when}. If you did not expect it, ignore this e-mail.`,
  },
  es: {
    subject: (group: string) => `Invitación a ${group} en Concilia`,
    intro: (inviter: string, group: string, role: RoleName) => `${inviter} le invita a unirse a ${group} en Concilia, su foro colaborativo, como ${ROLE_NAMES.es[role]}.`,
    button: 'Aceptar la invitación',
    expires: (when: string) => `La invitación sirve una sola vez, hasta el ${when}. Si no la esperaba, ignore este correo.`,
  },
  pt: {
    subject: (group: string) => `Convite para ${group} no Concilia`,
    intro: (inviter: string, group: string, role: RoleName) => `${inviter} convida você a participar de ${group} no Concilia, seu fórum colaborativo, como ${ROLE_NAMES.pt[role]}.`,
    button: 'Aceitar o convite',
    expires: (when: string) => `O convite funciona uma única vez, até ${when}. Se você não o esperava, ignore este e-mail.`,
  },
  fr: {
    subject: (group: string) => `Invitation à ${group} sur Concilia`,
    intro: (inviter: string, group: string, role: RoleName) => `${inviter} vous invite à rejoindre ${group} sur Concilia, son forum collaboratif, en tant que ${ROLE_NAMES.fr[role]}.`,
    button: 'Accepter l’invitation',
    expires: (when: string) => `L’invitation ne sert qu’une fois, jusqu’au ${when}. Si vous ne l’attendiez pas, ignorez ce courriel.`,
  },
});
