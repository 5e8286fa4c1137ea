import './styles/global.css';
import './ui/index.js';
// The sign-in page is in the entry; every other feature loads when its route is first visited (app/features.ts).
import './features/auth/define.js';
import './app/define.js';
