// The work areas as ARIA tabs (arrow keys, Home/End move between tabs; the
// selected tab is kept in the address's #fragment so a reload stays there).
import { h } from "../dom.js";
import { t } from "../i18n.js";

export function createTabs(app, tabs) {
  const list = h("div", { class: "tablist", role: "tablist", "aria-label": t("tab.label"), "data-i18n-aria-label": "tab.label" });
  const panels = h("div", { class: "tabpanels" });
  const entries = tabs.map((tab) => {
    const badge = h("span", { class: "tab-badge", hidden: true });
    const button = h("button", {
      type: "button",
      role: "tab",
      id: `tab-${tab.id}`,
      class: "tab",
      "aria-controls": `panel-${tab.id}`,
      "aria-selected": "false",
      tabIndex: -1,
      onclick: () => select(tab.id, { focus: false }),
      onkeydown: (e) => onKey(e, tab.id),
    }, h("span", { i18n: tab.labelKey }), badge);
    const panel = h("section", {
      role: "tabpanel",
      id: `panel-${tab.id}`,
      class: "tabpanel",
      "aria-labelledby": `tab-${tab.id}`,
      tabIndex: 0,
      hidden: true,
    }, tab.view.element);
    list.appendChild(button);
    panels.appendChild(panel);
    return { ...tab, button, panel, badge };
  });

  let current = null;

  function select(id, { focus = true } = {}) {
    const entry = entries.find((e) => e.id === id) || entries[0];
    current = entry.id;
    for (const e of entries) {
      const on = e === entry;
      e.button.setAttribute("aria-selected", String(on));
      e.button.tabIndex = on ? 0 : -1;
      e.panel.hidden = !on;
    }
    if (focus) entry.button.focus();
    if (location.hash !== `#${entry.id}`) history.replaceState(null, "", `#${entry.id}`);
    entry.view.shown?.();
  }

  function onKey(e, id) {
    const index = entries.findIndex((x) => x.id === id);
    let next = null;
    if (e.key === "ArrowRight") next = (index + 1) % entries.length;
    else if (e.key === "ArrowLeft") next = (index - 1 + entries.length) % entries.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = entries.length - 1;
    if (next === null) return;
    e.preventDefault();
    select(entries[next].id);
  }

  // Badges: a count or a dot where something waits for this participant.
  function render() {
    for (const e of entries) {
      const info = e.view.badge?.();
      if (info && info.text) {
        e.badge.hidden = false;
        e.badge.textContent = info.text;
        e.badge.className = `tab-badge${info.attention ? " tab-badge-attention" : ""}`;
        e.button.setAttribute("aria-description", info.description || "");
      } else {
        e.badge.hidden = true;
        e.button.removeAttribute("aria-description");
      }
    }
  }

  const initial = location.hash.slice(1);
  select(entries.some((e) => e.id === initial) ? initial : entries[0].id, { focus: false });

  return {
    element: h("div", { class: "tabs" }, list, panels),
    select,
    render,
    current: () => current,
  };
}
