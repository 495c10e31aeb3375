// Promotion from a one-on-one (一対一協議からの提起・上申, CONTINUITY.md
// section 5): in a one-on-one, a party selects agreed items (issues, roles,
// adopted directions) and a target (a council of the same area, or the
// prefecture) and proposes; the other organisation consents or declines.
// Also provenanceNote(), the 「一対一協議（日付）より」 mark the council's
// screens show on promoted items. User text goes through textContent only.
import { h, field, replaceKeepingFocus } from "../dom.js";
import { t, formatTime } from "../i18n.js";
import { TOPIC } from "../state.js";
import { personText, section, shorten } from "./common.js";

// 「一対一協議（2027-01-15）より」 for an item promoted from a one-on-one.
export function provenanceNote(item) {
  if (!item || !item.provenance) return null;
  return h("span", { class: "badge badge-quiet provenance", text: t("provenance.from", { date: item.provenance.date }) });
}

function sameOrganisation(a, b) {
  if (!a || !b) return false;
  if (a.org_id && b.org_id) return a.org_id === b.org_id;
  return a.org === b.org;
}

export function createPromotionView(app, getJson) {
  const { state } = app;
  let targets = []; // [{id, name}] councils of the same area

  const itemsBox = h("fieldset", { class: "promotion-items" },
    h("legend", { i18n: "promotion.items" }));
  const target = h("select", { dataset: { focusKey: "promotion-target" } });
  const note = h("textarea", { rows: 2, maxLength: 2000, dataset: { focusKey: "promotion-note" } });
  const form = h("form", { class: "grid-form promotion-form", novalidate: true },
    h("div", { class: "span-2" }, itemsBox),
    field("promotion.target", target),
    field("promotion.note", note, { optional: true, hintKey: "promotion.noteHint" }),
    h("div", { class: "row row-end-only span-2" },
      h("button", { type: "submit", class: "btn btn-primary", i18n: "promotion.propose" })),
  );
  const chosen = new Set();
  let targetChosen = false; // until then the first council (else 県本庁) is preselected
  target.addEventListener("change", () => {
    targetChosen = true;
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const items = promotable().map((x) => x.id).filter((id) => chosen.has(id));
    if (!items.length) return app.notify(t("promotion.chooseItems"), "error");
    const args = { items, target: target.value || "prefecture" };
    if (note.value.trim()) args.note = note.value.trim();
    app.send("promotion.propose", args, {
      onAck: () => {
        chosen.clear();
        note.value = "";
        app.announce(t("promotion.proposed"));
        app.refresh(TOPIC.promotions);
      },
    });
  });

  // Issues (not merged, not redacted), roles (not redacted), adopted directions.
  function promotable() {
    const out = [];
    for (const i of state.issues.values())
      if (!i.mergedInto && !i.redacted) out.push({ id: i.id, kind: "issue", text: i.text });
    for (const r of state.roles.values())
      if (!r.redacted) out.push({ id: r.id, kind: "role", text: r.title });
    for (const d of state.directions) {
      const p = state.proposals.get(d.proposal);
      if (p && !p.redacted) out.push({ id: p.id, kind: "direction", text: p.text });
    }
    return out;
  }

  function describe(id) {
    const issue = state.issues.get(id);
    if (issue) return { kind: "issue", text: issue.redacted ? t("redact.short") : issue.text };
    const role = state.roles.get(id);
    if (role) return { kind: "role", text: role.redacted ? t("redact.short") : role.title };
    const p = state.proposals.get(id);
    if (p) return { kind: "direction", text: p.redacted ? t("redact.short") : p.text };
    return { kind: "issue", text: t("promotion.unknownItem") };
  }

  function targetName(id) {
    if (id === "prefecture") return null;
    return targets.find((x) => x.id === id)?.name || id;
  }

  function fillTargets() {
    const current = target.value;
    target.replaceChildren(
      ...targets.map((x) => h("option", { value: x.id, text: x.name })),
      h("option", { value: "prefecture", text: t("promotion.prefecture") }));
    if (targetChosen && [...target.options].some((o) => o.value === current)) target.value = current;
    else target.value = targets[0]?.id || "prefecture";
  }

  const list = h("div", { class: "promotion-list" });
  const itemList = h("ul", { class: "plain-list promotion-choices" });
  itemsBox.appendChild(itemList);

  function renderChoices() {
    const items = promotable();
    replaceKeepingFocus(itemList, items.length
      ? items.map((x) => {
          const box = h("input", { type: "checkbox", checked: chosen.has(x.id), dataset: { focusKey: `promote-${x.id}` } });
          box.addEventListener("change", () => (box.checked ? chosen.add(x.id) : chosen.delete(x.id)));
          return h("li", {}, h("label", { class: "check" }, box, " ",
            h("span", { class: "chip", text: t(`promotion.kind.${x.kind}`) }), " ",
            h("span", { text: shorten(x.text, 80) })));
        })
      : [h("li", { class: "empty", i18n: "promotion.noItems" })]);
  }

  function awaitingMe(p) {
    return p.state === "proposed" && app.canAct && !sameOrganisation(p.by, state.me);
  }

  function renderList() {
    const promotions = [...state.promotions.values()].reverse();
    replaceKeepingFocus(list, promotions.length
      ? promotions.map((p) => {
          const name = targetName(p.target);
          const actions = awaitingMe(p)
            ? h("div", { class: "row", role: "group", "aria-label": t("promotion.actionsFor", { id: p.id }) },
                h("button", { type: "button", class: "btn btn-primary btn-small", i18n: "promotion.consent", dataset: { focusKey: `consent-${p.id}` },
                  onclick: () => app.send("promotion.consent", { promotion: p.id, consent: true }, { onAck: () => app.announce(t("promotion.consented")) }) }),
                h("button", { type: "button", class: "btn btn-small", i18n: "promotion.decline", dataset: { focusKey: `decline-${p.id}` },
                  onclick: () => app.send("promotion.consent", { promotion: p.id, consent: false }, { onAck: () => app.announce(t("promotion.declined")) }) }))
            : p.state === "proposed" ? h("p", { class: "small muted", i18n: "promotion.waitOther" }) : null;
          return h("article", { class: `subcard promotion promotion-${p.state}`, dataset: { promotion: p.id } },
            h("div", { class: "card-head" },
              h("h3", { class: "subcard-title", text: name ? t("promotion.toCouncil", { name }) : t("promotion.toPrefecture") }),
              h("span", { class: `badge ${p.state === "proposed" ? "badge-accent" : "badge-quiet"}`, text: t(`promotion.state.${p.state}`) })),
            h("ul", { class: "plain-list" }, p.items.map((id) => {
              const x = describe(id);
              return h("li", {}, h("span", { class: "chip", text: t(`promotion.kind.${x.kind}`) }), " ", h("span", { text: x.text }));
            })),
            p.note ? h("p", { class: "small" }, h("strong", { i18n: "promotion.noteLabel" }), " ", h("span", { text: p.note })) : null,
            h("p", { class: "small muted", text: t("promotion.by", { who: personText(p.by), at: formatTime(p.at) }) }),
            p.decidedBy ? h("p", { class: "small muted", text: `${t(`promotion.state.${p.state}`)}: ${t("promotion.decidedBy", { who: personText(p.decidedBy), at: formatTime(p.decidedAt) })}` }) : null,
            actions);
        })
      : h("p", { class: "empty", i18n: "promotion.none" }));
  }

  const element = h("div", { class: "view view-promotion" },
    h("section", { class: "card", "aria-labelledby": "promotion-title" },
      h("h2", { class: "card-title", id: "promotion-title", i18n: "promotion.title" }),
      h("p", { class: "small muted", i18n: "promotion.intro" }),
      list),
    app.canAct ? section("promotion.newTitle", form) : null,
  );

  function render(topics) {
    if (topics.has(TOPIC.issues) || topics.has(TOPIC.roles) || topics.has(TOPIC.proposals) || topics.has(TOPIC.promotions)) {
      renderChoices();
      renderList();
    }
  }

  function badge() {
    const n = [...state.promotions.values()].filter(awaitingMe).length;
    return n ? { text: String(n), attention: true, description: t("promotion.awaiting", { n }) } : null;
  }

  fillTargets();
  getJson(`/api/councils/${encodeURIComponent(state.council.id)}/promotion-targets`)
    .then((reply) => {
      targets = Array.isArray(reply?.targets) ? reply.targets.map((x) => ({ id: String(x.id), name: String(x.name) })) : [];
      fillTargets();
      renderList();
    })
    .catch(() => {});

  return { element, render, badge, relabel: fillTargets };
}
