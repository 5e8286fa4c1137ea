/**
 * A text cell a spreadsheet would read as a formula ("=HYPERLINK(...)", "+1", "@SUM", or one
 * starting with a tab or carriage return) is prefixed with an apostrophe, as OWASP advises against
 * CSV injection: names and answers are typed by people. Apply it to text only; a number written as
 * a number (-5) is not a formula and must stay a figure.
 */
export const defuseFormula = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
