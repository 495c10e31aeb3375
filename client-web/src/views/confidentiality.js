// Confidentiality of a closed session (非公開の会議・守秘義務の確認).
//
// While a closed meeting is live, every participant — observers included —
// who has not acknowledged it yet gets a modal dialog; 「確認しました」 posts
// POST /api/councils/<id>/meetings/<mid>/confidentiality and, once the
// server answers ok, the dialog closes for good for that meeting. What was
// acknowledged before a reload is read from the record
// (meetings[].attendance[].confidentiality_ack_at of this participant); a
// closed meeting that started after the record was read makes the app read
// it again before asking.
import { h, nextId } from "../dom.js";
import { t, serverMessage } from "../i18n.js";
import { liveMeeting } from "../state.js";

const MAX_RELOADS = 3;

export function createConfidentiality(app) {
  const { state } = app;
  const acknowledged = new Set(); // meeting ids this participant acknowledged
  let recordHead = -1; // head of the newest record read (-1: none yet)
  let recordFailed = false; // the last attempt to read the record failed
  const reloads = new Map(); // meeting id -> record reads asked for it
  let loading = false;
  let current = null; // the meeting the dialog is about
  let sending = false;

  const titleId = nextId("conf");
  const bodyId = nextId("conf");
  const meetingName = h("p", { class: "confidentiality-meeting" });
  const error = h("p", { class: "confidentiality-error", role: "alert", hidden: true });
  const confirmButton = h("button", {
    type: "button",
    class: "btn btn-primary",
    autofocus: true,
    i18n: "confidentiality.confirm",
    onclick: () => acknowledge(),
  });
  const dialog = h("dialog", { class: "confidentiality-dialog", "aria-labelledby": titleId, "aria-describedby": bodyId },
    h("h2", { class: "confidentiality-title", id: titleId },
      h("span", { class: "badge badge-session badge-session-closed", i18n: "session.closed" }), " ",
      h("span", { i18n: "confidentiality.title" })),
    meetingName,
    h("p", { class: "confidentiality-body", id: bodyId, i18n: "confidentiality.body" }),
    error,
    h("div", { class: "row row-end-only" }, confirmButton),
  );
  // Esc does not dismiss it: the acknowledgement is what closes it. Should
  // the browser close it anyway, it opens again while still needed.
  dialog.addEventListener("cancel", (e) => e.preventDefault());
  dialog.addEventListener("close", () => {
    if (needed()) queueMicrotask(update);
  });

  // The record (GET …/record), read at start and again when asked.
  function fromRecord(record) {
    recordFailed = false;
    if (typeof record?.head === "number") recordHead = Math.max(recordHead, record.head);
    const me = state.me?.participant;
    for (const m of Array.isArray(record?.meetings) ? record.meetings : []) {
      const mine = (m.attendance || []).find((a) => a.participant === me);
      if (mine?.confidentiality_ack_at) acknowledged.add(m.id);
    }
    update();
  }

  function needed() {
    const m = liveMeeting(state);
    return !!m && m.session === "closed" && !m.endedAt && !acknowledged.has(m.id) ? m : null;
  }

  // Whether the record read so far can tell if this meeting was acknowledged.
  function known(m) {
    return recordHead >= (m.seq || 0) || recordFailed || (reloads.get(m.id) || 0) >= MAX_RELOADS;
  }

  function update() {
    if (!state.synced) return;
    const m = needed();
    if (!m) {
      close();
      return;
    }
    if (!known(m)) {
      if (!loading) {
        loading = true;
        reloads.set(m.id, (reloads.get(m.id) || 0) + 1);
        app.loadRecord()
          .catch(() => {
            // Cannot tell: ask (acknowledging twice keeps the first time).
            recordFailed = true;
          })
          .finally(() => {
            loading = false;
            update();
          });
      }
      return;
    }
    open(m);
  }

  function open(m) {
    if (current !== m.id) {
      current = m.id;
      error.hidden = true;
      error.textContent = "";
      confirmButton.disabled = false;
    }
    meetingName.textContent = m.title ? t("confidentiality.meeting", { title: m.title }) : "";
    if (!dialog.isConnected) return;
    if (!dialog.open) {
      dialog.showModal();
      confirmButton.focus();
    }
  }

  function close() {
    current = null;
    if (dialog.open) dialog.close();
  }

  async function acknowledge() {
    const m = needed();
    if (!m || sending) return;
    sending = true;
    confirmButton.disabled = true;
    error.hidden = true;
    const url = `/api/councils/${encodeURIComponent(state.council.id)}/meetings/${encodeURIComponent(m.id)}/confidentiality`;
    let problem = null;
    try {
      const res = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
      let body = null;
      try {
        body = await res.json();
      } catch {
        body = null;
      }
      if (res.ok && body?.confidentiality_ack_at) {
        acknowledged.add(m.id);
      } else {
        const code = typeof body?.error === "string" ? body.error : "";
        const byCode = code ? t(`error.${code}`) : "";
        problem = serverMessage(body?.message) || (byCode && byCode !== `error.${code}` ? byCode : `HTTP ${res.status}`);
      }
    } catch {
      problem = t("confidentiality.offline");
    }
    sending = false;
    confirmButton.disabled = false;
    if (problem === null) {
      app.announce(t("confidentiality.done"));
      update();
      return;
    }
    error.textContent = t("confidentiality.failed", { message: problem });
    error.hidden = false;
    confirmButton.focus();
  }

  return { element: dialog, fromRecord, update };
}
