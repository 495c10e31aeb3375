// Handover (引き継ぎ) in 事務局コンソール (CONTINUITY.md section 1):
// the 引き継ぎ（異動） action on a person — a successor of the same
// organisation (or none: 空席), a date defaulting to the next 4月1日, then a
// confirmation that names every council that moves — and the section
// 「引き継ぎ・空席」: the requests of people leaving (confirm, reject) and
// the vacancies (fill with a person of the organisation, close).
import { h, field, nextId } from "../dom.js";
import { t, formatDate } from "../i18n.js";
import { get, post, listOf } from "../api.js";
import { formDialog } from "../views/form_dialog.js";
import { personState, nameOf, idOf, roleText } from "./labels.js";
import { sectionFrame, dataTable, rowActions, actionButton } from "./console_common.js";
import { jstDate, nextAprilFirst, startsText } from "./handover_common.js";
import { dateJst } from "../pages/shared.js";

// A field whose label is a text with parameters.
function labelled(text, control, hint) {
  if (!control.id) control.id = nextId("f");
  const parts = [h("label", { for: control.id }, h("span", { text }))];
  parts.push(control);
  if (hint) {
    const p = h("p", { class: "hint", id: nextId("hint"), text: hint });
    control.setAttribute("aria-describedby", p.id);
    parts.push(p);
  }
  return h("div", { class: "field" }, parts);
}

// The open seats of a person, from every council of the console's scope.
async function openSeatsOf(ctx, personId) {
  const councils = await ctx.list("councils", true);
  const lists = await Promise.all(councils.map((c) =>
    get(`/api/console/councils/${encodeURIComponent(c.id)}/seats`).then((json) => listOf(json, "seats")).catch(() => [])));
  const seats = [];
  lists.forEach((list, i) => {
    for (const s of list) {
      if (s.person === personId && !s.removed && !s.ends_at) seats.push({ ...s, councilName: councils[i].name });
    }
  });
  return seats;
}

// 引き継ぎ（異動）: the form, then the confirmation. `people` and `orgs` are
// the console's lists; `onDone(message)` after the change.
export function handoverDialog(ctx, person, { people, orgs, onDone }) {
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const orgId = idOf(person.org);
  const orgName = nameOf(person.org, orgById);
  const colleagues = people.filter((p) => p.id !== person.id && personState(p) === "active" && idOf(p.org) === orgId);
  const successor = h("select", {},
    h("option", { value: "", text: t("ho.noSuccessor") }),
    colleagues.map((p) => h("option", { value: p.id, text: p.login ? `${p.name}（${p.login}）` : p.name })));
  const date = h("input", { type: "date", required: true, value: nextAprilFirst() });
  // The chosen day in words (the date control follows the browser's locale).
  const dateEcho = h("p", { class: "ho-date-echo", "aria-live": "polite" });
  const echo = () => {
    const ymd = date.value;
    dateEcho.textContent = !ymd ? "" : ymd <= jstDate() ? t("ho.dateNow", { date: formatDate(ymd) }) : t("ho.dateFrom", { date: formatDate(ymd) });
  };
  date.addEventListener("input", echo);
  echo();
  const seatsBox = h("div", { class: "ho-seats", "aria-live": "polite" }, h("p", { class: "muted small", text: t("ho.loadingSeats") }));
  let seats = null;
  openSeatsOf(ctx, person.id).then((list) => {
    seats = list;
    seatsBox.replaceChildren(list.length
      ? h("div", {},
        h("p", { class: "ho-seats-title", text: t("ho.seats", { n: list.length }) }),
        h("ul", { class: "ho-seat-list" }, list.map((s) => h("li", {}, h("span", { text: s.councilName || s.council?.name || "" }), h("span", { class: "muted", text: ` ${roleText(s.role)}` })))))
      : h("p", { class: "acc-warn", text: t("ho.noSeats") }));
  }).catch(() => {
    seats = [];
    seatsBox.replaceChildren();
  });

  formDialog({
    title: t("ho.dialog.title", { name: person.name }),
    submitText: t("ho.next"),
    className: "ho-dialog",
    body: [
      h("p", { class: "hint", text: t("ho.dialog.lead") }),
      seatsBox,
      labelled(t("ho.successor", { org: orgName }), successor, t("ho.successorHint")),
      field("ho.date", date, { hintKey: "ho.dateHint" }),
      dateEcho,
    ],
    onSubmit: async () => {
      const chosen = colleagues.find((p) => p.id === successor.value) || null;
      const list = seats || (await openSeatsOf(ctx, person.id));
      const args = { person, chosen, date: date.value, seats: list, onDone };
      // Once this form has closed.
      setTimeout(() => confirmDialog(args), 0);
    },
  });
}

// The day before `ymd` ("YYYY-MM-DD").
function dayBefore(ymd) {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function confirmDialog({ person, chosen, date, seats, onDone }) {
  const today = jstDate();
  const now = date <= today;
  const when = formatDate(date);
  const from = person.name;
  const to = chosen?.name || "";
  const lines = [
    h("p", { class: "ho-confirm-main", text: chosen ? t("ho.confirm.to", { from, to, date: when }) : t("ho.confirm.vacant", { from, date: when }) }),
    h("p", { text: now ? t("ho.confirm.now", { from })
      : chosen ? t("ho.confirm.later", { from, to, until: formatDate(dayBefore(date)), starts: startsText(`${date}T00:00:00+09:00`) })
        : t("ho.confirm.laterVacant", { from, until: formatDate(dayBefore(date)) }) }),
    h("p", { class: "ho-seats-title", text: t("ho.confirm.councils") }),
    seats.length
      ? h("ul", { class: "ho-seat-list" }, seats.map((s) => h("li", { text: s.councilName || "" })))
      : h("p", { class: "acc-warn", text: t("ho.noSeats") }),
  ];
  formDialog({
    title: t("ho.confirm.title"),
    className: "ho-confirm",
    submitText: t("ho.confirm.submit"),
    body: lines,
    onSubmit: async () => {
      const body = { successor: chosen ? chosen.id : null, date };
      await post(`/api/console/people/${encodeURIComponent(person.id)}/handover`, body);
      await onDone(chosen ? t("ho.done", { name: from }) : t("ho.doneVacant", { name: from }));
    },
  });
}

// 引き継ぎ・空席.
export function createHandoversSection(ctx) {
  const frame = sectionFrame("ho.section.title", "ho.section.lead");
  let requests = null;
  let vacancies = null;
  let people = [];

  async function load() {
    if (!requests) frame.setLoading();
    try {
      const [r, v, p] = await Promise.all([get("/api/console/handovers"), get("/api/console/vacancies"), ctx.list("people", true)]);
      requests = listOf(r, "requests");
      vacancies = listOf(v, "vacancies");
      people = p;
      render();
    } catch (error) {
      frame.setError(error, load);
    }
  }

  function render() {
    if (!requests) return;
    frame.setBody(
      h("section", { class: "hov-part", "aria-labelledby": "ho-req-h" },
        h("h3", { class: "con-subtitle", id: "ho-req-h", text: t("ho.requests.title") }),
        dataTable([
          { label: t("ho.requests.person"), cell: (r) => h("span", { class: "con-name", text: r.person?.name || "" }) },
          { label: t("ho.requests.successor"), cell: (r) => (r.successor ? r.successor.name : h("span", { class: "muted", text: t("ho.requests.none") })) },
          { label: t("ho.requests.date"), cell: (r) => formatDate(r.date) },
          { label: t("ho.requests.councils"), cell: (r) => (r.councils || []).map((c) => c.name).join("、") },
          { label: t("ho.requests.note"), cell: (r) => r.note || "" },
          { label: t("con.state"), cell: (r) => h("span", { class: `badge ${r.state === "pending" ? "badge-state-proposed" : r.state === "confirmed" ? "badge-state-agreed" : "badge-quiet"}`, text: t(`ho.state.${r.state}`) }) },
          {
            label: t("con.actions"),
            class: "con-col-actions",
            cell: (r) => (r.state === "pending"
              ? rowActions(
                actionButton(t("ho.requests.confirm"), () => decide(r, "confirm"), { focusKey: `ho-confirm-${r.request}` }),
                actionButton(t("ho.requests.reject"), () => decide(r, "reject"), { danger: true, focusKey: `ho-reject-${r.request}` }))
              : ""),
          },
        ], requests, { caption: t("ho.requests.title"), empty: t("ho.requests.empty") })),
      h("section", { class: "hov-part", "aria-labelledby": "ho-vac-h" },
        h("h3", { class: "con-subtitle", id: "ho-vac-h", text: t("ho.vacancies.title") }),
        h("p", { class: "hint", text: t("ho.vacancies.lead") }),
        dataTable([
          { label: t("ho.vacancies.council"), cell: (v) => h("span", { class: "con-name", text: v.council?.name || "" }) },
          { label: t("ho.vacancies.org"), cell: (v) => v.org?.name || "" },
          { label: t("ho.vacancies.role"), cell: (v) => roleText(v.role) },
          { label: t("ho.vacancies.last"), cell: (v) => v.last_holder?.name || "" },
          { label: t("ho.vacancies.since"), cell: (v) => dateJst(v.vacated_at) },
          {
            label: t("con.actions"),
            class: "con-col-actions",
            cell: (v) => rowActions(
              actionButton(t("ho.fill"), () => fillDialog(v), { focusKey: `ho-fill-${v.participant}` }),
              actionButton(t("ho.dismiss"), () => dismissDialog(v), { danger: true, focusKey: `ho-dismiss-${v.participant}` })),
          },
        ], vacancies, { caption: t("ho.vacancies.title"), empty: t("ho.vacancies.empty") })));
  }

  async function changed(message) {
    ctx.forget("people", "councils");
    ctx.announce(message);
    await load();
  }

  function decide(r, action) {
    const name = r.person?.name || "";
    formDialog({
      title: t(action === "confirm" ? "ho.requests.confirmTitle" : "ho.requests.rejectTitle", { name }),
      danger: action !== "confirm",
      submitText: t(action === "confirm" ? "ho.requests.confirm" : "ho.requests.reject"),
      body: action === "confirm"
        ? [h("p", { text: r.successor ? t("ho.confirm.to", { from: name, to: r.successor.name, date: formatDate(r.date) }) : t("ho.confirm.vacant", { from: name, date: formatDate(r.date) }) }),
          h("p", { text: t("ho.me.councils", { list: (r.councils || []).map((c) => c.name).join("、") }) })]
        : [h("p", { text: t("ho.requests.rejectBody") })],
      onSubmit: async () => {
        await post(`/api/console/handovers/${encodeURIComponent(r.request)}/${action}`);
        await changed(t(action === "confirm" ? "ho.requests.confirmed" : "ho.requests.rejected", { name }));
      },
    });
  }

  function fillDialog(v) {
    const orgId = v.org?.id;
    const candidates = people.filter((p) => personState(p) === "active" && idOf(p.org) === orgId);
    const select = h("select", { required: true },
      h("option", { value: "", text: t("con.choose") }),
      candidates.map((p) => h("option", { value: p.id, text: p.login ? `${p.name}（${p.login}）` : p.name })));
    formDialog({
      title: t("ho.fill.title", { council: v.council?.name || "" }),
      submitText: t("ho.fill.submit"),
      body: [
        h("p", { text: t("ho.fill.body", { org: v.org?.name || "", name: v.last_holder?.name || "" }) }),
        candidates.length ? labelled(t("ho.fill.person", { org: v.org?.name || "" }), select) : h("p", { class: "acc-warn", text: t("ho.fill.none", { org: v.org?.name || "" }) }),
      ],
      onSubmit: async () => {
        if (!candidates.length) throw new Error(t("ho.fill.none", { org: v.org?.name || "" }));
        await post(`/api/console/vacancies/${encodeURIComponent(v.participant)}/fill`, { person: select.value });
        const name = candidates.find((p) => p.id === select.value)?.name || "";
        await changed(t("ho.filled", { name }));
      },
    });
  }

  function dismissDialog(v) {
    formDialog({
      title: t("ho.dismiss.title"),
      danger: true,
      submitText: t("ho.dismiss"),
      body: [h("p", { text: t("ho.dismiss.body", { org: v.org?.name || "", council: v.council?.name || "" }) })],
      onSubmit: async () => {
        await post(`/api/console/vacancies/${encodeURIComponent(v.participant)}/dismiss`);
        await changed(t("ho.dismissed"));
      },
    });
  }

  return { el: frame.el, title: () => t("ho.section.title"), start: () => load(), render };
}
