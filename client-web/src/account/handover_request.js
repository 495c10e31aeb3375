// 異動の申請 on the person's own page (/me/security): the person leaving
// names a successor of their organisation (GET /api/me/colleagues) and a
// date (the next 4月1日 by default) and sends the request (POST
// /api/me/handover); the secretariat confirms or rejects it, and the card
// shows the latest request's state (GET /api/me/handover).
import { h, field, nextId } from "../dom.js";
import { t, formatDate } from "../i18n.js";
import { get, post } from "../api.js";
import { errorText } from "../views/form_dialog.js";
import { nextAprilFirst } from "./handover_common.js";

export function createHandoverRequestCard(me) {
  const el = h("section", { class: "card page-section acc-section ho-me", "aria-labelledby": "ho-me-h" });
  let latest;
  let colleagues = [];
  let problem = null;
  let busy = false;
  const successor = h("select", { id: nextId("f") });
  const date = h("input", { type: "date", required: true, value: nextAprilFirst() });
  const note = h("input", { type: "text", maxLength: 200 });
  const hasSeats = (me.seats || []).length > 0;

  async function load() {
    try {
      const [request, people] = await Promise.all([get("/api/me/handover"), get("/api/me/colleagues")]);
      latest = request;
      colleagues = people?.people || [];
    } catch (error) {
      problem = errorText(error);
    }
    render();
  }

  async function send(e) {
    e.preventDefault();
    if (busy || !date.value) return;
    busy = true;
    problem = null;
    try {
      const body = { successor: successor.value || null, date: date.value };
      if (note.value.trim()) body.note = note.value.trim();
      await post("/api/me/handover", body);
      latest = await get("/api/me/handover");
    } catch (error) {
      problem = errorText(error);
    }
    busy = false;
    render();
  }

  function status() {
    if (!latest) return null;
    const to = latest.successor?.name || t("ho.requests.none");
    const text = t(`ho.me.${latest.state}`, { date: formatDate(latest.date), to });
    return h("p", { class: `page-note ho-me-state ho-me-${latest.state}`, role: "status", text });
  }

  function render() {
    const children = [
      h("h2", { class: "card-title", id: "ho-me-h", text: t("ho.me.title") }),
      h("p", { class: "muted small", text: t("ho.me.lead") }),
      status(),
    ];
    const pending = latest?.state === "pending";
    if (pending && latest.councils?.length) children.push(h("p", { class: "small", text: t("ho.me.councils", { list: latest.councils.map((c) => c.name).join("、") }) }));
    if (!hasSeats && !pending) {
      children.push(h("p", { class: "muted", text: t("ho.me.noSeats") }));
    } else if (!pending) {
      const selected = successor.value;
      successor.replaceChildren(
        h("option", { value: "", text: t("ho.noSuccessor") }),
        ...colleagues.map((p) => h("option", { value: p.person, text: p.name, selected: p.person === selected })));
      children.push(h("form", { class: "stack ho-me-form", novalidate: true, onsubmit: send },
        labelled(t("ho.me.successor"), successor),
        field("ho.date", date, { hintKey: "ho.dateHint" }),
        field("ho.note", note),
        h("div", { class: "row" }, h("button", { type: "submit", class: "btn", text: t("ho.me.submit"), disabled: busy }))));
    }
    if (problem) children.push(h("p", { class: "page-error-inline", role: "alert", text: problem }));
    el.replaceChildren(...children.filter(Boolean));
  }

  function labelled(text, control) {
    return h("div", { class: "field" }, h("label", { for: control.id }, h("span", { text })), control);
  }

  render();
  load();
  return { el, render };
}
