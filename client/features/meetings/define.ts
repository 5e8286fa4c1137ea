import { CnActionItemsPage } from './action-items-page.js';
import { CnActionItemsPicker } from './action-items-picker.js';
import { CnMeetingsCalendarPage } from './calendar-page.js';
import { CnChecklist } from './checklist.js';
import '../../ui/link-picker/link-picker.js';
import { CnMeetingAttendance } from './meeting-attendance.js';
import { CnMeetingFormPage } from './form/meeting-form-page.js';
import { CnMeetingHistory } from './meeting-history.js';
import { CnMeetingOccurrences } from './meeting-occurrences.js';
import { CnMeetingPage } from './meeting-page.js';
import { CnMeetingPoll } from './meeting-poll.js';
import { CnMeetingRoom } from './room/meeting-room.js';
import { CnRoomAttendance } from './room/room-attendance.js';
import { CnRoomChat } from './room/room-chat.js';
import { CnRoomPolls } from './room/room-polls.js';
import { CnMeetingTimes } from './meeting-times.js';
import { CnMeetingsPage } from './meetings-page.js';
import { CnMinutesEditor } from './minutes/minutes-editor.js';
import { CnMinutesPage } from './minutes/minutes-page.js';
import { CnMonthCalendar } from './month-calendar.js';
import { CnTimeZoneNotice } from './time-zone-notice.js';
import './widgets.js';
import '../../ui/markdown-editor/markdown-editor.js';
import { defineElements, type ElementsOf } from '../../ui/define-elements.js';

const ELEMENTS = {
  'cn-meetings-page': CnMeetingsPage,
  'cn-meetings-calendar-page': CnMeetingsCalendarPage,
  'cn-meeting-page': CnMeetingPage,
  'cn-meeting-form-page': CnMeetingFormPage,
  'cn-meeting-times': CnMeetingTimes,
  'cn-time-zone-notice': CnTimeZoneNotice,
  'cn-month-calendar': CnMonthCalendar,
  'cn-meeting-poll': CnMeetingPoll,
  'cn-meeting-room': CnMeetingRoom,
  'cn-room-chat': CnRoomChat,
  'cn-room-polls': CnRoomPolls,
  'cn-room-attendance': CnRoomAttendance,
  'cn-meeting-attendance': CnMeetingAttendance,
  'cn-meeting-history': CnMeetingHistory,
  'cn-meeting-occurrences': CnMeetingOccurrences,
  'cn-checklist': CnChecklist,
  'cn-minutes-page': CnMinutesPage,
  'cn-minutes-editor': CnMinutesEditor,
  'cn-action-items-page': CnActionItemsPage,
  'cn-action-items-picker': CnActionItemsPicker,
};
defineElements(ELEMENTS);

declare global {
  interface HTMLElementTagNameMap extends ElementsOf<typeof ELEMENTS> {}
}
