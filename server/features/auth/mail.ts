import type { FastifyInstance } from 'fastify';
import { defineTexts, formatDateTime } from '../../plugins/mail/index.js';
import type { Locale } from '../../shared/roles.js';

/**
 * Account mail: the kinds are transactional (always sent, no unsubscribe, not in the
 * preferences), and each message says what to do if the person did not ask for it.
 */
export const ACCOUNT_KINDS = {
  passwordReset: 'account.password_reset',
  passwordChanged: 'account.password_changed',
  emailChange: 'account.email_change',
  emailChanged: 'account.email_changed',
} as const;

export function defineAccountKinds(fastify: FastifyInstance): void {
  for (const kind of Object.values(ACCOUNT_KINDS)) fastify.mail.defineKind(kind, { transactional: true });
}

export const accountTexts = defineTexts({
  en: {
    resetSubject: 'Set a new Concilia password',
    resetIntro: 'Someone (we hope you) asked to set a new password for your Concilia account. The link works once.',
    resetButton: 'Set a new password',
    resetExpires: (when: string) => `The link works until ${when}.`,
    notYou: 'If you did not ask for this, ignore this e-mail: nothing changes.',
    passwordChangedSubject: 'Your Concilia password was changed',
    passwordChangedText: (when: string) => `The password of your Concilia account was changed on ${when}. Every other session was signed out.`,
    notYouChanged: 'If it was not you, set a new password now with "Forgot your password?" on the sign-in page, and tell the secretariat.',
    signIn: 'Sign in',
    emailChangeSubject: 'Confirm your new Concilia e-mail address',
    emailChangeIntro: (address: string) => `Confirm that Concilia should write to ${address} from now on. Until you do, nothing changes.`,
    emailChangeButton: 'Confirm this address',
    emailChangeRequestedSubject: 'A change of your Concilia e-mail address was asked',
    emailChangeRequestedText: (address: string) => `Someone signed in to your Concilia account asked to change its e-mail address to ${address}. It changes only once that address confirms.`,
    emailChangedSubject: 'Your Concilia e-mail address was changed',
    emailChangedText: (address: string) => `Concilia will write to ${address} from now on; you sign in with that address.`,
  },
  es: {
    resetSubject: 'Elegir una nueva contraseña de Concilia',
    resetIntro: 'Alguien (esperamos que usted) pidió una nueva contraseña para su cuenta de Concilia. El enlace sirve una sola vez.',
    resetButton: 'Elegir una nueva contraseña',
    resetExpires: (when: string) => `El enlace funciona hasta el ${when}.`,
    notYou: 'Si no lo pidió, ignore este correo: no cambia nada.',
    passwordChangedSubject: 'Se cambió su contraseña de Concilia',
    passwordChangedText: (when: string) => `La contraseña de su cuenta de Concilia se cambió el ${when}. Se cerraron todas las demás sesiones.`,
    notYouChanged: 'Si no fue usted, elija una nueva contraseña ahora con «¿Olvidó su contraseña?» en la página de inicio de sesión e informe a la secretaría.',
    signIn: 'Iniciar sesión',
    emailChangeSubject: 'Confirme su nueva dirección de correo en Concilia',
    emailChangeIntro: (address: string) => `Confirme que Concilia debe escribirle a ${address} desde ahora. Hasta que lo haga, no cambia nada.`,
    emailChangeButton: 'Confirmar esta dirección',
    emailChangeRequestedSubject: 'Se pidió cambiar su dirección de correo en Concilia',
    emailChangeRequestedText: (address: string) => `Alguien con sesión iniciada en su cuenta de Concilia pidió cambiar su dirección de correo a ${address}. Solo cambiará cuando esa dirección lo confirme.`,
    emailChangedSubject: 'Se cambió su dirección de correo en Concilia',
    emailChangedText: (address: string) => `Concilia le escribirá a ${address} desde ahora; inicie sesión con esa dirección.`,
  },
  pt: {
    resetSubject: 'Definir uma nova senha do Concilia',
    resetIntro: 'Alguém (esperamos que você) pediu uma nova senha para sua conta no Concilia. O link funciona uma única vez.',
    resetButton: 'Definir uma nova senha',
    resetExpires: (when: string) => `O link funciona até ${when}.`,
    notYou: 'Se você não pediu, ignore este e-mail: nada muda.',
    passwordChangedSubject: 'Sua senha do Concilia foi alterada',
    passwordChangedText: (when: string) => `A senha da sua conta no Concilia foi alterada em ${when}. Todas as outras sessões foram encerradas.`,
    notYouChanged: 'Se não foi você, defina uma nova senha agora em “Esqueceu a senha?” na página de entrada e avise a secretaria.',
    signIn: 'Entrar',
    emailChangeSubject: 'Confirme seu novo endereço de e-mail no Concilia',
    emailChangeIntro: (address: string) => `Confirme que o Concilia deve escrever para ${address} a partir de agora. Até lá, nada muda.`,
    emailChangeButton: 'Confirmar este endereço',
    emailChangeRequestedSubject: 'Foi pedida a troca do seu e-mail no Concilia',
    emailChangeRequestedText: (address: string) => `Alguém conectado à sua conta no Concilia pediu para trocar o endereço de e-mail para ${address}. Ele só muda quando esse endereço confirmar.`,
    emailChangedSubject: 'Seu endereço de e-mail no Concilia foi alterado',
    emailChangedText: (address: string) => `O Concilia escreverá para ${address} a partir de agora; entre com esse endereço.`,
  },
  fr: {
    resetSubject: 'Choisir un nouveau mot de passe Concilia',
    resetIntro: 'Quelqu’un (nous espérons que c’est vous) a demandé un nouveau mot de passe pour votre compte Concilia. Le lien ne sert qu’une fois.',
    resetButton: 'Choisir un nouveau mot de passe',
    resetExpires: (when: string) => `Le lien est valable jusqu’au ${when}.`,
    notYou: 'Si vous n’avez rien demandé, ignorez ce courriel : rien ne change.',
    passwordChangedSubject: 'Votre mot de passe Concilia a été modifié',
    passwordChangedText: (when: string) => `Le mot de passe de votre compte Concilia a été modifié le ${when}. Toutes les autres sessions ont été fermées.`,
    notYouChanged: 'Si ce n’était pas vous, choisissez tout de suite un nouveau mot de passe avec « Mot de passe oublié ? » sur la page de connexion, et prévenez le secrétariat.',
    signIn: 'Se connecter',
    emailChangeSubject: 'Confirmez votre nouvelle adresse électronique Concilia',
    emailChangeIntro: (address: string) => `Confirmez que Concilia doit désormais écrire à ${address}. Tant que vous ne l’avez pas fait, rien ne change.`,
    emailChangeButton: 'Confirmer cette adresse',
    emailChangeRequestedSubject: 'Un changement de votre adresse électronique Concilia a été demandé',
    emailChangeRequestedText: (address: string) => `Une personne connectée à votre compte Concilia a demandé à remplacer son adresse électronique par ${address}. Elle ne change qu’une fois cette adresse confirmée.`,
    emailChangedSubject: 'Votre adresse électronique Concilia a été modifiée',
    emailChangedText: (address: string) => `Concilia écrira désormais à ${address} ; connectez-vous avec cette adresse.`,
  },
});

/** A moment as the recipient reads it. */
export const when = (locale: Locale, at: Date, timeZone: string) => formatDateTime(locale, at, timeZone);
