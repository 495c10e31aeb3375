// The read pages of the council's record: /councils/<id>/record, /review,
// /search and /compare. Each reads its documents over HTTP with the session
// cookie (no WebSocket) and re-renders from them when the language changes.
import { onLangChange } from "../i18n.js";
import { createShell } from "./nav.js";
import { createRecordPage } from "./record.js";
import { createReviewPage } from "./review.js";
import { createSearchPage } from "./search.js";
import { createComparePage } from "./compare.js";

const FACTORIES = {
  record: createRecordPage,
  review: createReviewPage,
  search: createSearchPage,
  compare: createComparePage,
};

export const PAGE_IDS = Object.keys(FACTORIES);

// onUnauthorized(): the session ended or was never there (401).
export function startPage(id, root, session, { onUnauthorized }) {
  const shell = createShell(root, session, id);
  const page = FACTORIES[id]({ shell, session, councilId: session.council.id, onUnauthorized });
  onLangChange(() => {
    shell.renderHeader();
    page.render();
  });
  page.start();
}
