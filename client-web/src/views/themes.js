// Themes and the stage each has reached (連携システムの4段階). Moving a theme
// is a facilitator's recorded decision with a reason.
import { showFieldError } from "../input.js";
import { h, field, replaceKeepingFocus } from "../dom.js";
import { t, formatTime } from "../i18n.js";
import { TOPIC } from "../state.js";
import { personText, section } from "./common.js";
import { createPiiGuard } from "./pii_guard.js";

export function createThemeView(app) {
  const { state } = app;

  const themeList = h("datalist", { id: "stage-theme-options" });
  const theme = h("input", { type: "text", maxLength: 100, list: "stage-theme-options", autocomplete: "off", dataset: { focusKey: "stage-theme" } });
  const stage = h("select", { dataset: { focusKey: "stage-stage" } });
  const reason = h("textarea", { rows: 2, maxLength: 2000, dataset: { focusKey: "stage-reason" } });
  const guard = createPiiGuard(app, { key: "stage" });
  guard.watch(reason);
  const form = h("form", { class: "grid-form", novalidate: true },
    field("theme.name", theme),
    field("theme.stage", stage),
    field("theme.reason", reason, { class: "span-2", hintKey: "theme.reasonHint" }),
    guard.element,
    h("div", { class: "row row-end-only span-2" }, h("button", { type: "submit", class: "btn btn-primary", i18n: "theme.set" })),
    themeList,
  );
  function fillStages() {
    const chosen = stage.value || "1";
    stage.replaceChildren(...[1, 2, 3, 4].map((n) => h("option", { value: String(n), text: `${t("stage.short", { n })} ${t(`stage.${n}`)}` })));
    stage.value = chosen;
  }
  // Suggest the next stage for a known theme, unless a stage was chosen.
  let stageChosen = false;
  stage.addEventListener("change", () => {
    stageChosen = true;
  });
  theme.addEventListener("change", () => {
    const known = state.themes.get(theme.value.trim());
    if (!stageChosen && known && known.stage < 4) stage.value = String(known.stage + 1);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const args = { theme: theme.value.trim(), stage: Number(stage.value), reason: reason.value.trim() };
    if (!args.theme) return showFieldError(theme, t("theme.nameRequired"));
    if (!args.reason) return showFieldError(reason, t("theme.reasonRequired"));
    const typed = reason.value;
    guard.submit([{ text: args.reason, field: reason }], () => {
      if (reason.value === typed) reason.value = "";
      stageChosen = false;
      app.send("theme.set_stage", args, { onAck: () => app.announce(t("theme.setDone", { theme: args.theme, stage: args.stage })) });
    });
  });

  const list = h("div", { class: "theme-list" });
  const element = h("div", { class: "view view-themes" },
    h("section", { class: "card", "aria-labelledby": "themes-title" },
      h("h2", { class: "card-title", id: "themes-title", i18n: "theme.listTitle" }),
      h("p", { class: "small muted", i18n: "theme.intro" }),
      list),
    app.isFacilitator ? section("theme.setTitle", form) : null,
  );

  function stepper(current) {
    return h("ol", { class: "stepper", "aria-label": t("theme.stageOf", { n: current, name: t(`stage.${current}`) }) },
      [1, 2, 3, 4].map((n) => h("li", {
        class: `step${n < current ? " step-done" : ""}${n === current ? " step-current" : ""}`,
        "aria-current": n === current ? "step" : null,
      },
        h("span", { class: "step-no", text: String(n) }),
        h("span", { class: "step-name", text: t(`stage.${n}`) }))));
  }

  function render(topics) {
    if (topics.has(TOPIC.themes) || topics.has(TOPIC.issues) || topics.has(TOPIC.roles)) {
      themeList.replaceChildren(...[...state.themes.keys()].map((name) => h("option", { value: name })));
      const themes = [...state.themes.values()];
      replaceKeepingFocus(list, themes.length
        ? themes.map((th) => {
            const issues = [...state.issues.values()].filter((i) => i.theme === th.name && !i.mergedInto).length;
            const roles = [...state.roles.values()].filter((r) => r.theme === th.name).length;
            return h("article", { class: "subcard theme", dataset: { theme: th.name } },
              h("div", { class: "card-head" },
                h("h3", { class: "subcard-title", text: th.name }),
                h("span", { class: "small muted", text: t("theme.counts", { issues, roles }) })),
              stepper(th.stage),
              th.history.length
                ? h("details", { class: "history" },
                    h("summary", { text: t("theme.historyCount", { n: th.history.length }) }),
                    h("ol", { class: "plain-list small" }, th.history.map((x) =>
                      h("li", {},
                        h("strong", { text: `${x.from ? t("stage.short", { n: x.from }) : t("theme.new")} → ${t("stage.short", { n: x.to })}` }),
                        " ",
                        h("span", { text: x.reason }),
                        h("span", { class: "muted", text: ` — ${personText(x.by)}, ${formatTime(x.at)}` })))))
                : null);
          })
        : h("p", { class: "empty", i18n: "theme.none" }));
    }
  }

  fillStages();
  return { element, render, relabel: fillStages };
}
