import './styles/global.css';
import './ui/index.js';
import './features/setup/define.js';
import './features/auth/define.js';
import './features/invitations/define.js';
import './features/people/define.js';
import './features/admin/define.js';
import './app/define.js';
