import { LOCALES, type Locale } from '../../shared/roles.js';

/**
 * Server-side texts of mail, in the recipient's language. The client's @lit/localize does not run
 * on the server, and an ICU message library would bring a parser for what a typed catalogue does
 * with functions: each text is a string or a function of typed parameters, English is the source,
 * and every other language must give every text with the same parameters (the compiler checks),
 * so a missing translation does not build. Plurals go through Intl.PluralRules (CLDR), as the
 * client's do.
 */

/** A text in every language, for what features register (kind labels, refusal messages). */
export type LocalizedText = Record<Locale, string>;

type Text = string | ((...args: never[]) => string) | { readonly [key: string]: Text };

/** Makes a catalogue: `texts(locale).greeting('Ana')`. */
export function defineTexts<T extends Record<string, Text>>(catalogue: { en: T } & Record<Exclude<Locale, 'en'>, NoInfer<T>>): (locale: string) => T {
  return (locale) => catalogue[toLocale(locale)];
}

/** One of ours, or Spanish (the group's first language and users' default). */
export function toLocale(value: string | null | undefined): Locale {
  const base = (value ?? '').toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : 'es';
}

/** The locale's plural form of a count, '#' replaced by the number as the locale writes it. */
export function plural(locale: Locale, count: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }): string {
  const form = forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;
  return form.replaceAll('#', new Intl.NumberFormat(locale).format(count));
}

/** A date and time as the recipient reads it, in their zone, with the zone named. */
export function formatDateTime(locale: Locale, date: Date, timeZone: string): string {
  // dateStyle/timeStyle cannot be combined with timeZoneName (a TypeError): the fields are spelled out.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(date);
}

/** Why a reply by e-mail could not be placed (the bounce says it in the sender's language). */
export type RefusalReason = 'unknown_address' | 'wrong_sender' | 'not_accepted' | 'locked' | 'too_large' | 'not_allowed' | 'gone' | 'empty' | 'attachment_refused';

/** The texts every mail shares: greeting, footer, unsubscribe, preferences, bounces, the unsubscribe page. */
export const mailTexts = defineTexts({
  en: {
    greeting: (name: string) => (name ? `Hello ${name},` : 'Hello,'),
    footerWhy: (kind: string) => `You receive this e-mail because your Concilia settings send you “${kind}”.`,
    footerTransactional: 'You receive this e-mail because of your Concilia account.',
    unsubscribe: (kind: string) => `Stop e-mails about “${kind}”`,
    preferences: 'Choose which e-mails you get',
    replyHint: 'You can answer by replying to this e-mail.',
    openInConcilia: 'Open in Concilia',
    bounceSubject: (subject: string) => `Not delivered: ${subject}`,
    bounceIntro: 'Your e-mail could not be placed in Concilia.',
    bounceYourText: 'What you wrote, so that nothing is lost:',
    bounceReason: {
      unknown_address: 'The address you wrote to is not one Concilia gave out, or no longer takes replies.',
      wrong_sender: 'This reply address belongs to another person: replies are only accepted from the address Concilia wrote to. Reply from that address, or write in Concilia.',
      not_accepted: 'Replies by e-mail are not taken for this kind of message. Please write in Concilia.',
      locked: 'The discussion is closed to new posts.',
      too_large: 'The message or one of its attachments is too large.',
      not_allowed: 'You are no longer allowed to write there.',
      gone: 'What you replied to no longer exists.',
      empty: 'We found no text of your own in the reply (only the quoted message).',
      attachment_refused: 'An attachment could not be accepted, so nothing was posted. Send the reply again without it, or post it in Concilia and attach the file there.',
    } satisfies Record<RefusalReason, string>,
    unsubscribePageTitle: 'Stop these e-mails?',
    unsubscribeQuestion: (kind: string) => `You will no longer receive e-mails about “${kind}”. You can turn them back on in your settings at any time.`,
    unsubscribeButton: 'Stop these e-mails',
    unsubscribedTitle: 'Done',
    unsubscribedText: (kind: string) => `You will no longer receive e-mails about “${kind}”.`,
    unknownLinkTitle: 'This link does not work',
    unknownLinkText: 'The link is incomplete or not one Concilia made. Sign in to choose which e-mails you get.',
  },
  es: {
    greeting: (name: string) => (name ? `Hola, ${name}:` : 'Hola:'),
    footerWhy: (kind: string) => `Recibe este correo porque su configuración de Concilia le envía «${kind}».`,
    footerTransactional: 'Recibe este correo por su cuenta de Concilia.',
    unsubscribe: (kind: string) => `Dejar de recibir correos de «${kind}»`,
    preferences: 'Elegir qué correos recibo',
    replyHint: 'Puede contestar respondiendo a este correo.',
    openInConcilia: 'Abrir en Concilia',
    bounceSubject: (subject: string) => `No entregado: ${subject}`,
    bounceIntro: 'Su correo no se pudo publicar en Concilia.',
    bounceYourText: 'Lo que escribió, para que no se pierda:',
    bounceReason: {
      unknown_address: 'La dirección a la que escribió no es una que Concilia haya dado, o ya no acepta respuestas.',
      wrong_sender: 'Esta dirección de respuesta pertenece a otra persona: solo se aceptan respuestas desde la dirección a la que Concilia escribió. Responda desde esa dirección o escriba en Concilia.',
      not_accepted: 'Este tipo de mensaje no admite respuestas por correo. Escriba en Concilia, por favor.',
      locked: 'La conversación está cerrada a nuevas intervenciones.',
      too_large: 'El mensaje o alguno de sus adjuntos es demasiado grande.',
      not_allowed: 'Ya no tiene permiso para escribir allí.',
      gone: 'Aquello a lo que respondió ya no existe.',
      empty: 'No encontramos texto suyo en la respuesta (solo el mensaje citado).',
      attachment_refused: 'Un adjunto no pudo aceptarse, así que no se publicó nada. Envíe de nuevo la respuesta sin él, o publíquela en Concilia y adjunte allí el archivo.',
    },
    unsubscribePageTitle: '¿Dejar de recibir estos correos?',
    unsubscribeQuestion: (kind: string) => `Ya no recibirá correos de «${kind}». Puede volver a activarlos en su configuración cuando quiera.`,
    unsubscribeButton: 'Dejar de recibirlos',
    unsubscribedTitle: 'Listo',
    unsubscribedText: (kind: string) => `Ya no recibirá correos de «${kind}».`,
    unknownLinkTitle: 'Este enlace no funciona',
    unknownLinkText: 'El enlace está incompleto o no lo generó Concilia. Inicie sesión para elegir qué correos recibe.',
  },
  pt: {
    greeting: (name: string) => (name ? `Olá, ${name},` : 'Olá,'),
    footerWhy: (kind: string) => `Você recebe este e-mail porque suas configurações do Concilia enviam “${kind}”.`,
    footerTransactional: 'Você recebe este e-mail por causa da sua conta no Concilia.',
    unsubscribe: (kind: string) => `Parar de receber e-mails sobre “${kind}”`,
    preferences: 'Escolher quais e-mails recebo',
    replyHint: 'Você pode responder a este e-mail para participar.',
    openInConcilia: 'Abrir no Concilia',
    bounceSubject: (subject: string) => `Não entregue: ${subject}`,
    bounceIntro: 'Não foi possível publicar seu e-mail no Concilia.',
    bounceYourText: 'O que você escreveu, para que nada se perca:',
    bounceReason: {
      unknown_address: 'O endereço para o qual você escreveu não foi fornecido pelo Concilia ou não aceita mais respostas.',
      wrong_sender: 'Este endereço de resposta pertence a outra pessoa: só são aceitas respostas do endereço para o qual o Concilia escreveu. Responda desse endereço ou escreva no Concilia.',
      not_accepted: 'Este tipo de mensagem não aceita respostas por e-mail. Por favor, escreva no Concilia.',
      locked: 'A discussão está fechada para novas mensagens.',
      too_large: 'A mensagem ou um dos anexos é grande demais.',
      not_allowed: 'Você não tem mais permissão para escrever ali.',
      gone: 'Aquilo a que você respondeu não existe mais.',
      empty: 'Não encontramos nenhum texto seu na resposta (apenas a mensagem citada).',
      attachment_refused: 'Um anexo não pôde ser aceito, por isso nada foi publicado. Envie a resposta de novo sem ele, ou publique-a no Concilia e anexe o arquivo lá.',
    },
    unsubscribePageTitle: 'Parar de receber estes e-mails?',
    unsubscribeQuestion: (kind: string) => `Você não receberá mais e-mails sobre “${kind}”. Pode ativá-los de novo nas suas configurações quando quiser.`,
    unsubscribeButton: 'Parar de receber',
    unsubscribedTitle: 'Pronto',
    unsubscribedText: (kind: string) => `Você não receberá mais e-mails sobre “${kind}”.`,
    unknownLinkTitle: 'Este link não funciona',
    unknownLinkText: 'O link está incompleto ou não foi gerado pelo Concilia. Entre para escolher quais e-mails você recebe.',
  },
  fr: {
    greeting: (name: string) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    footerWhy: (kind: string) => `Vous recevez ce courriel parce que vos paramètres Concilia vous envoient « ${kind} ».`,
    footerTransactional: 'Vous recevez ce courriel en raison de votre compte Concilia.',
    unsubscribe: (kind: string) => `Ne plus recevoir de courriels « ${kind} »`,
    preferences: 'Choisir les courriels que je reçois',
    replyHint: 'Vous pouvez répondre directement à ce courriel.',
    openInConcilia: 'Ouvrir dans Concilia',
    bounceSubject: (subject: string) => `Non distribué : ${subject}`,
    bounceIntro: 'Votre courriel n’a pas pu être publié dans Concilia.',
    bounceYourText: 'Ce que vous avez écrit, pour que rien ne se perde :',
    bounceReason: {
      unknown_address: 'L’adresse à laquelle vous avez écrit n’a pas été donnée par Concilia, ou n’accepte plus de réponses.',
      wrong_sender: 'Cette adresse de réponse appartient à une autre personne : seules les réponses envoyées depuis l’adresse à laquelle Concilia a écrit sont acceptées. Répondez depuis cette adresse ou écrivez dans Concilia.',
      not_accepted: 'Ce type de message n’accepte pas de réponse par courriel. Merci d’écrire dans Concilia.',
      locked: 'La discussion est fermée aux nouvelles contributions.',
      too_large: 'Le message ou l’une de ses pièces jointes est trop volumineux.',
      not_allowed: 'Vous n’êtes plus autorisé à écrire à cet endroit.',
      gone: 'Ce à quoi vous avez répondu n’existe plus.',
      empty: 'Nous n’avons trouvé aucun texte de votre part dans la réponse (seulement le message cité).',
      attachment_refused: 'Une pièce jointe n’a pas pu être acceptée : rien n’a donc été publié. Renvoyez la réponse sans elle, ou publiez-la dans Concilia et joignez-y le fichier.',
    },
    unsubscribePageTitle: 'Ne plus recevoir ces courriels ?',
    unsubscribeQuestion: (kind: string) => `Vous ne recevrez plus de courriels « ${kind} ». Vous pourrez les réactiver à tout moment dans vos paramètres.`,
    unsubscribeButton: 'Ne plus les recevoir',
    unsubscribedTitle: 'C’est fait',
    unsubscribedText: (kind: string) => `Vous ne recevrez plus de courriels « ${kind} ».`,
    unknownLinkTitle: 'Ce lien ne fonctionne pas',
    unknownLinkText: 'Le lien est incomplet ou n’a pas été créé par Concilia. Connectez-vous pour choisir les courriels que vous recevez.',
  },
});
