// 協議体 (councils): the list; create one (name, kind, area, its themes,
// the default agenda from GET /api/agendas); archive. Per council
// (/console/councils/<id>) its seats: invite a person with a role, change a
// role, remove a seat.
import { h, field, setChildren } from "../dom.js";
import { t, pick, formatDate } from "../i18n.js";
import { get, post, patch, listOf } from "../api.js";
import { formDialog, errorText } from "../views/form_dialog.js";
import { showFieldError } from "../input.js";
import { councilKindText, roleText, roleBadge, SEAT_ROLES, personState, nameOf, idOf } from "./labels.js";
import { sectionFrame, dataTable, rowActions, actionButton, filterInput, matches } from "./console_common.js";
import { mapError } from "./console_orgs.js";
import { dateJst } from "../pages/shared.js";

function isArchived(c) {
  return Boolean(c.archived_at || c.archived);
}

export function createCouncilsSection(ctx, rest) {
  if (rest[0]) return createSeatsView(ctx, rest[0]);
  const frame = sectionFrame("con.councils.title", "con.councils.lead");
  let councils = null;
  let agendas = [];
  let filter = "";
  let showArchived = false;

  async function load(force = false) {
    if (!councils) frame.setLoading();
    try {
      councils = await ctx.list("councils", force);
      render();
    } catch (error) {
      frame.setError(error, () => load(true));
    }
  }

  function render() {
    frame.setTools(h("button", { type: "button", class: "btn btn-primary", text: t("con.councils.add"), onclick: createDialog, dataset: { focusKey: "councils-add" } }));
    if (!councils) return;
    const archived = h("input", { type: "checkbox", checked: showArchived, id: "councils-archived" });
    archived.addEventListener("change", () => {
      showArchived = archived.checked;
      renderTable();
    });
    frame.setBody(
      h("div", { class: "con-filters" },
        filterInput("con.councils.filter", (text) => {
          filter = text;
          renderTable();
        }, filter),
        h("div", { class: "check" }, archived, h("label", { for: archived.id }, h("span", { text: t("con.councils.showArchived") })))),
      h("div", { class: "con-table-slot" }));
    renderTable();
  }

  function renderTable() {
    const slot = frame.el.querySelector(".con-table-slot");
    if (!slot || !councils) return;
    const rows = councils.filter((c) => (showArchived || !isArchived(c)) && matches(filter, c.name, c.area, ...(c.themes || [])));
    slot.replaceChildren(dataTable([
      {
        label: t("con.councils.name"),
        cell: (c) => h("a", {
          href: `/console/councils/${encodeURIComponent(c.id)}`,
          class: "con-name",
          text: c.name,
          onclick: (e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            ctx.navigate(`/console/councils/${encodeURIComponent(c.id)}`);
          },
        }),
      },
      { label: t("con.councils.kind"), class: "con-nowrap", cell: (c) => councilKindText(c.kind) },
      { label: t("con.councils.area"), cell: (c) => c.area || "" },
      { label: t("con.councils.themes"), cell: (c) => ((c.themes || []).length ? h("ul", { class: "con-themes" }, c.themes.map((th) => h("li", { text: typeof th === "string" ? th : th.name }))) : h("span", { class: "muted", text: "—" })) },
      { label: t("con.councils.nextMeeting"), class: "con-nowrap", cell: (c) => (c.next_meeting ? h("span", { text: formatDate(c.next_meeting) }) : h("span", { class: "muted", text: "—" })) },
      { label: t("con.councils.seats"), class: "num", cell: (c) => (c.seats === undefined ? "" : String(Array.isArray(c.seats) ? c.seats.length : c.seats)) },
      { label: t("con.state"), cell: (c) => (isArchived(c)
        ? h("span", { class: "badge badge-quiet", text: c.archived_at ? t("con.councils.archivedOn", { date: dateJst(c.archived_at) }) : t("con.councils.archived") })
        : h("span", { class: "badge badge-state-agreed", text: t("con.councils.active") })) },
      {
        label: t("con.actions"),
        class: "con-col-actions",
        cell: (c) => rowActions(
          actionButton(t("con.councils.seatsManage"), () => ctx.navigate(`/console/councils/${encodeURIComponent(c.id)}`), { focusKey: `council-seats-${c.id}` }),
          isArchived(c) ? null : actionButton(t("con.councils.edit"), () => editDialog(c), { focusKey: `council-edit-${c.id}` }),
          isArchived(c) ? null : actionButton(t("con.councils.archive"), () => archiveDialog(c), { danger: true, focusKey: `council-archive-${c.id}` })),
      },
    ], rows, { caption: t("con.councils.title"), empty: filter ? t("con.noMatch") : t("con.councils.empty"), rowClass: (c) => (isArchived(c) ? "is-inactive" : "") }));
  }

  async function changed(message) {
    ctx.forget("councils");
    ctx.announce(message);
    await load(true);
  }

  async function createDialog() {
    if (!agendas.length) {
      try {
        agendas = listOf(await get("/api/agendas"), "agendas");
      } catch {
        agendas = [];
      }
    }
    const name = h("input", { type: "text", required: true, maxLength: 200 });
    const kind = h("select", { required: true },
      h("option", { value: "council", text: councilKindText("council") }),
      h("option", { value: "one_on_one", text: councilKindText("one_on_one") }));
    const area = h("input", { type: "text", maxLength: 100, value: ctx.areas[0] || "", required: true, placeholder: t("con.orgs.areaExample") });
    const themes = h("textarea", { rows: 4, maxLength: 2000, placeholder: t("con.councils.themesExample") });
    const agenda = h("select", {});
    const fillAgendas = () => {
      setChildren(agenda, h("option", { value: "", text: t("con.councils.noAgenda") }),
        agendas.filter((a) => !a.kind || a.kind === kind.value).map((a) => h("option", { value: a.id, text: pick(a.title) || a.id })));
    };
    kind.addEventListener("change", fillAgendas);
    fillAgendas();
    formDialog({
      title: t("con.councils.addTitle"),
      submitText: t("con.councils.addSubmit"),
      body: [
        field("con.councils.name", name),
        h("div", { class: "grid-2" }, field("con.councils.kind", kind), field("con.councils.area", area)),
        field("con.councils.themes", themes, { optional: true, hintKey: "con.councils.themesHint" }),
        field("con.councils.agenda", agenda, { optional: true, hintKey: "con.councils.agendaHint" }),
      ],
      onSubmit: async () => {
        const list = [...new Set(themes.value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean))];
        const body = { name: name.value.trim(), kind: kind.value, area: area.value.trim(), themes: list };
        if (agenda.value) body.default_agenda = agenda.value;
        try {
          await post("/api/console/councils", body);
        } catch (error) {
          throw mapError(error, { name, area, themes, default_agenda: agenda });
        }
        await changed(t("con.councils.added", { name: body.name }));
      },
    });
  }

  // Name, themes and the next meeting's date (shown on everyone's ホーム).
  function editDialog(c) {
    const name = h("input", { type: "text", required: true, maxLength: 200, value: c.name });
    const themes = h("textarea", { rows: 4, maxLength: 2000 });
    themes.value = (c.themes || []).map((th) => (typeof th === "string" ? th : th.name)).join("\n");
    const next = h("input", { type: "date", value: c.next_meeting || "" });
    formDialog({
      title: t("con.councils.editTitle", { name: c.name }),
      submitText: t("con.save"),
      body: [
        field("con.councils.name", name),
        field("con.councils.themes", themes, { optional: true, hintKey: "con.councils.themesHint" }),
        field("con.councils.nextMeeting", next, { optional: true, hintKey: "con.councils.nextMeetingHint" }),
      ],
      onSubmit: async () => {
        const list = [...new Set(themes.value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean))];
        const body = { name: name.value.trim(), themes: list, next_meeting: next.value || "" };
        try {
          await patch(`/api/console/councils/${encodeURIComponent(c.id)}`, body);
        } catch (error) {
          throw mapError(error, { name, themes, next_meeting: next });
        }
        await changed(t("con.councils.updated", { name: body.name }));
      },
    });
  }

  function archiveDialog(c) {
    formDialog({
      title: t("con.councils.archiveTitle", { name: c.name }),
      submitText: t("con.councils.archive"),
      danger: true,
      body: [h("p", { text: t("con.councils.archiveBody") })],
      onSubmit: async () => {
        await post(`/api/console/councils/${encodeURIComponent(c.id)}/archive`);
        await changed(t("con.councils.archivedDone", { name: c.name }));
      },
    });
  }

  return { el: frame.el, title: () => t("con.councils.title"), start: () => { render(); load(); }, render };
}

// The seats of one council.
function createSeatsView(ctx, councilId) {
  const frame = sectionFrame("con.seats.title", "con.seats.lead");
  let council = null;
  let seats = null;
  let people = [];
  let orgs = [];
  let filter = "";
  const base = `/api/console/councils/${encodeURIComponent(councilId)}/seats`;

  async function load(force = false) {
    if (!seats) frame.setLoading();
    try {
      const [councils, seatList, peopleList, orgList] = await Promise.all([
        ctx.list("councils", force), get(base), ctx.list("people", force), ctx.list("orgs"),
      ]);
      council = councils.find((c) => c.id === councilId) || { id: councilId, name: councilId };
      seats = listOf(seatList, "seats");
      people = peopleList;
      orgs = orgList;
      render();
    } catch (error) {
      frame.setError(error, () => load(true));
    }
  }

  function personOf(seat) {
    const id = idOf(seat.person);
    return people.find((p) => p.id === id) || null;
  }

  function render() {
    const back = h("a", {
      href: "/console/councils",
      class: "btn btn-quiet con-back",
      text: t("con.seats.back"),
      onclick: (e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        ctx.navigate("/console/councils");
      },
    });
    frame.setTools(back);
    if (!seats) return;
    const heading = frame.el.querySelector(".con-title");
    heading.textContent = t("con.seats.titleOf", { name: council.name });
    const orgById = new Map(orgs.map((o) => [o.id, o]));
    const seated = new Set(seats.map((s) => idOf(s.person)));
    const archived = isArchived(council);
    frame.setBody(
      h("p", { class: "con-council-facts" },
        h("span", { class: "badge badge-quiet", text: councilKindText(council.kind) }),
        council.area ? h("span", { text: council.area }) : null,
        archived ? h("span", { class: "badge badge-quiet", text: t("con.councils.archived") }) : null),
      archived ? null : inviteForm(seated, orgById),
      h("h3", { class: "con-subtitle", text: t("con.seats.list", { n: seats.length }) }),
      dataTable([
        { label: t("con.people.name"), cell: (s) => h("span", { class: "con-name", text: s.name || personOf(s)?.name || nameOf(s.person) }) },
        { label: t("con.people.org"), cell: (s) => nameOf(s.org, orgById) || nameOf(personOf(s)?.org, orgById) },
        { label: t("con.seats.role"), cell: (s) => roleBadge(s.role) },
        {
          label: t("con.actions"),
          class: "con-col-actions",
          cell: (s) => (archived ? "" : rowActions(
            actionButton(t("con.seats.changeRole"), () => roleDialog(s), { focusKey: `seat-role-${s.participant}` }),
            actionButton(t("con.seats.remove"), () => removeDialog(s), { danger: true, focusKey: `seat-remove-${s.participant}` }))),
        },
      ], seats, { caption: t("con.seats.title"), empty: t("con.seats.empty") }));
  }

  function inviteForm(seated, orgById) {
    const candidates = people.filter((p) => personState(p) === "active" && !seated.has(p.id));
    const person = h("select", { required: true, dataset: { focusKey: "seat-person" } });
    const fill = () => {
      const chosen = person.value;
      setChildren(person, h("option", { value: "", text: candidates.length ? t("con.seats.choosePerson", { n: candidates.length }) : t("con.seats.noneLeft") }),
        candidates.filter((p) => matches(filter, p.name, p.login, nameOf(p.org, orgById)))
          .map((p) => h("option", { value: p.id, selected: p.id === chosen, text: t("person.withOrg", { name: p.name, org: nameOf(p.org, orgById) }) })));
    };
    fill();
    const search = filterInput("con.seats.filterPeople", (text) => {
      filter = text;
      fill();
    }, filter);
    const role = h("select", { required: true, dataset: { focusKey: "seat-role" } },
      SEAT_ROLES.map((r) => h("option", { value: r, text: roleText(r), selected: r === "member" })));
    const problem = h("p", { class: "page-error-inline", role: "alert", hidden: true });
    const submit = h("button", { type: "submit", class: "btn btn-primary", text: t("con.seats.invite"), disabled: candidates.length === 0 });
    const form = h("form", { class: "con-invite", novalidate: true },
      h("h3", { class: "con-subtitle", text: t("con.seats.inviteTitle") }),
      h("div", { class: "con-invite-row" },
        field("con.seats.search", search),
        field("con.seats.person", person),
        field("con.seats.role", role, { hintKey: "con.seats.roleHint" }),
        h("div", { class: "con-invite-submit" }, submit)),
      problem);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      problem.hidden = true;
      if (!person.value) {
        showFieldError(person, t("con.seats.personMissing"));
        return;
      }
      submit.disabled = true;
      try {
        await post(base, { person: person.value, role: role.value });
        const who = people.find((p) => p.id === person.value);
        ctx.announce(t("con.seats.invited", { name: who?.name || "" }));
        filter = "";
        await load(true);
        frame.el.querySelector("[data-focus-key=seat-person]")?.focus();
      } catch (error) {
        submit.disabled = false;
        const mapped = mapError(error, { person, role });
        if (mapped.control) {
            showFieldError(mapped.control, mapped.message);
        } else {
          problem.textContent = errorText(error);
          problem.hidden = false;
        }
      }
    });
    return form;
  }

  function roleDialog(seat) {
    const role = h("select", { required: true }, SEAT_ROLES.map((r) => h("option", { value: r, text: roleText(r), selected: r === seat.role })));
    const name = seat.name || personOf(seat)?.name || "";
    formDialog({
      title: t("con.seats.roleTitle", { name }),
      submitText: t("con.save"),
      body: [field("con.seats.role", role, { hintKey: "con.seats.roleHint" })],
      onSubmit: async () => {
        if (role.value === seat.role) return;
        try {
          await patch(`/api/console/seats/${encodeURIComponent(seat.participant)}`, { role: role.value });
        } catch (error) {
          throw mapError(error, { role });
        }
        ctx.announce(t("con.seats.roleChanged", { name, role: roleText(role.value) }));
        await load(true);
      },
    });
  }

  function removeDialog(seat) {
    const name = seat.name || personOf(seat)?.name || "";
    formDialog({
      title: t("con.seats.removeTitle", { name }),
      submitText: t("con.seats.remove"),
      danger: true,
      body: [h("p", { text: t("con.seats.removeBody") })],
      onSubmit: async () => {
        await post(`/api/console/seats/${encodeURIComponent(seat.participant)}/remove`);
        ctx.announce(t("con.seats.removed", { name }));
        await load(true);
      },
    });
  }

  return { el: frame.el, title: () => (council ? t("con.seats.titleOf", { name: council.name }) : t("con.seats.title")), start: () => { render(); load(); }, render };
}
