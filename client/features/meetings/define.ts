import { CnActionItemsPage } from './action-items-page.js';
import { CnActionItemsPicker } from './action-items-picker.js';
import { CnMeetingsCalendarPage } from './calendar-page.js';
import { CnChecklist } from './checklist.js';
import '../../ui/link-picker/link-picker.js';
import { CnMeetingAttendance } from './meeting-attendance.js';
import { CnMeetingFormPage } from './meeting-form-page.js';
import { CnMeetingHistory } from './meeting-history.js';
import { CnMeetingOccurrences } from './meeting-occurrences.js';
import { CnMeetingPage } from './meeting-page.js';
import { CnMeetingPoll } from './meeting-poll.js';
import { CnMeetingRoom } from './meeting-room.js';
import { CnMeetingTimes } from './meeting-times.js';
import { CnMeetingsPage } from './meetings-page.js';
import { CnMinutesPage } from './minutes-page.js';
import { CnMonthCalendar } from './month-calendar.js';
import { CnTimeZoneNotice } from './time-zone-notice.js';
import './widgets.js';
import '../debates/widgets.js';

customElements.define('cn-meetings-page', CnMeetingsPage);
customElements.define('cn-meetings-calendar-page', CnMeetingsCalendarPage);
customElements.define('cn-meeting-page', CnMeetingPage);
customElements.define('cn-meeting-form-page', CnMeetingFormPage);
customElements.define('cn-meeting-times', CnMeetingTimes);
customElements.define('cn-time-zone-notice', CnTimeZoneNotice);
customElements.define('cn-month-calendar', CnMonthCalendar);
customElements.define('cn-meeting-poll', CnMeetingPoll);
customElements.define('cn-meeting-room', CnMeetingRoom);
customElements.define('cn-meeting-attendance', CnMeetingAttendance);
customElements.define('cn-meeting-history', CnMeetingHistory);
customElements.define('cn-meeting-occurrences', CnMeetingOccurrences);
customElements.define('cn-checklist', CnChecklist);
customElements.define('cn-minutes-page', CnMinutesPage);
customElements.define('cn-action-items-page', CnActionItemsPage);
customElements.define('cn-action-items-picker', CnActionItemsPicker);

declare global {
  interface HTMLElementTagNameMap {
    'cn-meetings-page': CnMeetingsPage;
    'cn-meetings-calendar-page': CnMeetingsCalendarPage;
    'cn-meeting-page': CnMeetingPage;
    'cn-meeting-form-page': CnMeetingFormPage;
    'cn-meeting-times': CnMeetingTimes;
    'cn-time-zone-notice': CnTimeZoneNotice;
    'cn-month-calendar': CnMonthCalendar;
    'cn-meeting-poll': CnMeetingPoll;
    'cn-meeting-room': CnMeetingRoom;
    'cn-meeting-attendance': CnMeetingAttendance;
    'cn-meeting-history': CnMeetingHistory;
    'cn-meeting-occurrences': CnMeetingOccurrences;
    'cn-checklist': CnChecklist;
    'cn-minutes-page': CnMinutesPage;
    'cn-action-items-page': CnActionItemsPage;
    'cn-action-items-picker': CnActionItemsPicker;
  }
}
