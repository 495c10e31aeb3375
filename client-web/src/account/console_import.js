// 取り込み (CSV import): choose a file of organisations or people; its raw
// bytes (UTF-8 with or without BOM, or Shift_JIS as Excel saves it) go to
// POST /api/console/import/{orgs|people}?dry_run=1, whose preview is shown
// row by row with each row's errors; 取り込む sends the same bytes without
// dry_run, which writes every row or none.
import { h } from "../dom.js";
import { t, serverMessage } from "../i18n.js";
import { request, ApiError } from "../api.js";
import { errorText } from "../views/form_dialog.js";
import { sectionFrame } from "./console_common.js";
import { orgKindText } from "./labels.js";

const COLUMNS = {
  orgs: [
    { key: "name", label: "名称", en: "name" },
    { key: "kind", label: "種別", en: "kind" },
    { key: "area", label: "管内", en: "area" },
    { key: "prefecture", label: "都道府県", en: "prefecture" },
  ],
  people: [
    { key: "name", label: "氏名", en: "name" },
    { key: "org", label: "機関", en: "org" },
    { key: "login", label: "ログインID", en: "login" },
  ],
};

export function createImportSection(ctx) {
  const frame = sectionFrame("con.imp.title", "con.imp.lead");
  let what = "orgs";
  let file = null; // {name, bytes}
  let preview = null;
  let problem = null;
  let done = null;
  let busy = false;

  const input = h("input", { type: "file", accept: ".csv,text/csv", id: "imp-file", class: "con-file", dataset: { focusKey: "imp-file" } });
  input.addEventListener("change", async () => {
    const chosen = input.files?.[0];
    preview = null;
    done = null;
    problem = null;
    file = null;
    if (chosen) {
      file = { name: chosen.name, bytes: await chosen.arrayBuffer() };
      await check();
    }
    render();
  });

  async function send(dryRun) {
    const url = `/api/console/import/${what}${dryRun ? "?dry_run=1" : ""}`;
    return request("POST", url, file.bytes, { contentType: "text/csv" });
  }

  async function check() {
    busy = true;
    render();
    try {
      preview = await send(true);
      problem = null;
    } catch (error) {
      preview = error instanceof ApiError && Array.isArray(error.body?.rows) ? error.body : null;
      problem = errorText(error);
    }
    busy = false;
  }

  async function commit() {
    busy = true;
    render();
    try {
      const result = await send(false);
      done = { count: result?.valid ?? preview?.valid ?? 0, file: file.name };
      preview = null;
      file = null;
      input.value = "";
      problem = null;
      ctx.forget("orgs", "people", "invitations");
      ctx.announce(t("con.imp.done", { n: done.count }));
    } catch (error) {
      if (error instanceof ApiError && Array.isArray(error.body?.rows)) preview = error.body;
      problem = errorText(error);
    }
    busy = false;
    render();
  }

  function kindRadio(value) {
    const radio = h("input", { type: "radio", name: "imp-what", value, checked: what === value, id: `imp-${value}` });
    radio.addEventListener("change", async () => {
      what = value;
      preview = null;
      done = null;
      problem = null;
      if (file) await check();
      render();
    });
    return h("div", { class: "check" }, radio, h("label", { for: radio.id }, h("span", { text: t(`con.imp.what.${value}`) })));
  }

  function columnsHelp() {
    const cols = COLUMNS[what];
    return h("div", { class: "con-imp-help" },
      h("h3", { class: "con-subtitle", text: t("con.imp.columns") }),
      h("table", { class: "table con-imp-columns" },
        h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col", text: c.label })))),
        h("tbody", {}, h("tr", {}, cols.map((c) => h("td", {}, h("code", { text: c.en })))))),
      h("ul", { class: "con-imp-notes" },
        t(`con.imp.notes.${what}`).split("\n").map((line) => h("li", { text: line }))),
      what === "orgs"
        ? h("details", { class: "con-imp-kinds" },
          h("summary", { text: t("con.imp.kinds") }),
          h("ul", { class: "plain-list" },
            ["prefecture", "health_centre", "municipality", "hospital", "clinic", "association", "visiting_nurse", "community_support_centre", "care_management", "social_welfare_council", "other"]
              .map((k) => h("li", {}, h("span", { text: orgKindText(k) }), " ", h("code", { text: k })))))
        : null,
      h("p", { class: "muted small", text: t("con.imp.example") }),
      h("pre", { class: "con-imp-sample" }, h("code", { text: t(`con.imp.sample.${what}`) })));
  }

  function previewTable() {
    if (!preview) return null;
    const cols = COLUMNS[what];
    const rows = preview.rows || [];
    const invalid = Number(preview.invalid) || rows.filter((r) => r.errors?.length).length;
    const valid = Number(preview.valid) || rows.length - invalid;
    return h("div", { class: "con-imp-preview" },
      h("h3", { class: "con-subtitle", text: t("con.imp.preview", { file: file?.name || "" }) }),
      h("p", { class: `con-imp-summary${invalid ? " has-errors" : ""}`, role: "status" },
        h("span", { class: "badge badge-state-agreed", text: t("con.imp.valid", { n: valid }) }),
        invalid ? h("span", { class: "badge badge-overdue", text: t("con.imp.invalid", { n: invalid }) }) : null,
        h("span", { text: invalid ? t("con.imp.fixFirst") : t("con.imp.ready") })),
      h("div", { class: "table-scroll" },
        h("table", { class: "table con-table con-imp-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col", class: "num", text: t("con.imp.line") }),
            cols.map((c) => h("th", { scope: "col", text: c.label })),
            h("th", { scope: "col", text: t("con.imp.errors") }))),
          h("tbody", {}, rows.map((r) => {
            const bad = Array.isArray(r.errors) && r.errors.length > 0;
            return h("tr", { class: bad ? "is-error" : null },
              h("td", { class: "num", text: String(r.line ?? "") }),
              cols.map((c) => h("td", { text: c.key === "kind" && r.values?.kind ? orgKindText(r.values.kind) : r.values?.[c.key] ?? "" })),
              h("td", {}, bad
                ? h("ul", { class: "con-row-errors" }, r.errors.map((e) => h("li", { text: serverMessage(e) })))
                : h("span", { class: "ok-text", text: "✓" })));
          })))),
      h("div", { class: "row con-imp-actions" },
        h("button", { type: "button", class: "btn btn-primary", text: t("con.imp.commit", { n: valid }), disabled: busy || invalid > 0 || valid === 0, onclick: commit, dataset: { focusKey: "imp-commit" } }),
        // A file changed in Excel must be read again: choose it again.
        h("button", {
          type: "button",
          class: "btn",
          text: t("con.imp.rechoose"),
          disabled: busy,
          onclick: () => {
            input.value = "";
            input.click();
          },
        })));
  }

  function render() {
    frame.setBody(
      h("div", { class: "con-imp" },
        h("fieldset", { class: "fieldset" },
          h("legend", { text: t("con.imp.what") }),
          h("div", { class: "row con-radios" }, kindRadio("orgs"), kindRadio("people"))),
        columnsHelp(),
        h("div", { class: "field con-imp-file" },
          h("label", { for: input.id, text: t("con.imp.file") }),
          input,
          h("p", { class: "hint", text: t("con.imp.fileHint") })),
        busy ? h("p", { class: "page-loading", role: "status", text: t("con.imp.checking") }) : null,
        done ? h("p", { class: "page-note", role: "status", text: t("con.imp.doneNote", { n: done.count, file: done.file }) }) : null,
        problem ? h("p", { class: "page-error-inline", role: "alert", text: problem }) : null,
        previewTable()));
  }

  return { el: frame.el, title: () => t("con.imp.title"), start: render, render };
}
