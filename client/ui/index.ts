/** Registers every shared primitive; import once from the app entry. */
import './button/button.js';
import './field/field.js';
import './dialog/dialog.js';
import './toast/toast.js';
import './copy-field/copy-field.js';
