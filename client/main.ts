import './styles/global.css';
import './ui/index.js';
import './features/setup/define.js';
import './features/auth/define.js';
import './features/invitations/define.js';
import './features/people/define.js';
import './features/admin/define.js';
import './features/home/define.js';
import './features/debates/define.js';
import './features/notifications/define.js';
import './features/search/define.js';
import './features/documents/define.js';
import './app/define.js';
// Meetings load in their own chunk (with the time-zone library): elements upgrade when it arrives.
void import('./features/meetings/define.js');
