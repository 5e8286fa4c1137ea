import { css } from 'lit';

/**
 * One colour per case status, from work to do (warm) to settled (cool and grey), with text dark
 * enough on each for WCAG AA. The status is always written too (labels, legend), never colour alone.
 */
export const statusStyles = css`
  .status-identified {
    background: #fde2e1;
    color: #7a1712;
  }
  .status-under_review {
    background: #fdebc8;
    color: #6b4100;
  }
  .status-explained {
    background: #fff6bf;
    color: #5c4d00;
  }
  .status-reconciling {
    background: #dcecff;
    color: #123f73;
  }
  .status-reconciled {
    background: #d8f3dc;
    color: #14532d;
  }
  .status-documented {
    background: #e6e0f8;
    color: #3b2475;
  }
  .status-closed_invalid {
    background: #ececec;
    color: #3d3d3d;
  }
`;
