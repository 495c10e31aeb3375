// The printable invitation sheet (/console/people/<id>/sheet): A4, the
// person's name, organisation and login, the set-up link as text and as a
// QR code, and short instructions. The link comes from this page's memory
// or this tab's sessionStorage (set when it was issued), never from the
// address: the server's logs never see a token.
import { h, setChildren } from "../dom.js";
import { t, formatDate } from "../i18n.js";
import { qrSvg } from "../views/qr.js";

const KEY = "renkei.sheet.";

// Keeps an issued link for the sheet: {id, name, org, login, link}.
export function rememberLink(ctx, entry) {
  const stored = { ...entry, issued: new Date().toISOString().slice(0, 10) };
  ctx.links.set(entry.id, stored);
  try {
    sessionStorage.setItem(KEY + entry.id, JSON.stringify(stored));
  } catch {
    /* memory only */
  }
}

function recall(ctx, id) {
  if (ctx.links.has(id)) return ctx.links.get(id);
  try {
    const raw = sessionStorage.getItem(KEY + id);
    if (raw) return JSON.parse(raw);
  } catch {
    /* nothing kept */
  }
  return null;
}

export function createSheetView(ctx, personId) {
  const el = h("section", { class: "con-section inv-sheet-page" });

  function render() {
    const entry = recall(ctx, personId);
    const back = h("a", {
      href: "/console/people",
      class: "btn",
      text: t("sheet.back"),
      onclick: (e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        ctx.navigate("/console/people");
      },
    });
    if (!entry) {
      setChildren(el, 
        h("h2", { class: "con-title", text: t("sheet.title") }),
        h("div", { class: "page-error", role: "alert" },
          h("p", { class: "page-error-title", text: t("sheet.missing.title") }),
          h("p", { text: t("sheet.missing.body") })),
        h("p", {}, back));
      return;
    }
    const issuer = ctx.me?.person?.org?.name || "";
    setChildren(el, 
      h("div", { class: "inv-toolbar no-print" },
        h("h2", { class: "con-title", text: t("sheet.title") }),
        h("p", { class: "con-lead", text: t("sheet.screenLead") }),
        h("div", { class: "row" },
          h("button", { type: "button", class: "btn btn-primary", text: t("sheet.print"), onclick: () => window.print() }),
          back)),
      h("article", { class: "inv-sheet", lang: "ja", "aria-label": t("sheet.title") },
        h("p", { class: "inv-brand" },
          h("span", { class: "brand-mark", "aria-hidden": "true", text: "連" }),
          h("span", { text: "Renkei（連携）" })),
        h("h1", { class: "inv-title", text: "利用開始のご案内" }),
        h("p", { class: "inv-to" }, h("span", { class: "inv-name", text: entry.name }), h("span", { text: " 様" })),
        h("dl", { class: "inv-facts" },
          h("div", {}, h("dt", { text: "所属機関" }), h("dd", { text: entry.org || "" })),
          h("div", {}, h("dt", { text: "ログインID" }), h("dd", {}, h("code", { class: "inv-login", text: entry.login || "" }))),
          h("div", {}, h("dt", { text: "発行日" }), h("dd", { text: formatDate(entry.issued) }))),
        h("div", { class: "inv-link-box" },
          h("div", { class: "inv-qr" }, qrSvg(entry.link, { label: "設定用リンクのQRコード" })),
          h("div", { class: "inv-link-text" },
            h("p", { class: "inv-how", text: "スマートフォンで読み取るか、アドレスを入力してください。パスワードを設定し、ファシリテーター（会議の進行役）は認証アプリを登録します。" }),
            h("p", { class: "inv-link-label", text: "設定用リンク" }),
            h("p", { class: "inv-link" }, h("code", { text: entry.link })))),
        h("h2", { class: "inv-h2", text: "手順" }),
        h("ol", { class: "inv-steps" },
          h("li", { text: "上のQRコードをスマートフォンのカメラで読み取るか、パソコンのブラウザに設定用リンクを入力します。" }),
          h("li", { text: "表示された氏名・所属機関・ログインIDがご本人のものか確かめます。" }),
          h("li", { text: "パスワード（10文字以上）を決めて2回入力します。" }),
          h("li", { text: "管理者とファシリテーターは、続けて認証アプリ（Google Authenticator、Microsoft Authenticator など）を登録し、表示される回復コード10個を保管します。" }),
          h("li", { text: "次回からは、ログインIDとパスワードでサインインします。" })),
        h("ul", { class: "inv-notes" },
          h("li", { text: "このリンクはご本人専用で、一度だけ使えます。他の人に渡さないでください。" }),
          h("li", { text: "期限が切れたとき、使えないときは、事務局に新しいリンクを依頼してください。" }),
          h("li", { text: "この用紙は、パスワードを設定したあとは破棄してください。" })),
        issuer ? h("p", { class: "inv-issuer", text: `発行：${issuer}（事務局）` }) : null));
  }

  return { el, title: () => t("sheet.title"), start: render, render };
}
