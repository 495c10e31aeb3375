// Texts of 代理入力 (proxy input, server/docs/CONTINUITY.md section 4):
// the facilitator's mode on the meeting screen and the labels on proxied
// items. Japanese first, English on request (i18n.js).
const S = (ja, en) => ({ ja, en });

export const PROXY_STRINGS = {
  "proxy.open": S("代理入力", "Enter for someone"),
  "proxy.openHint": S("電話や書面で参加した人の発言・意思表示・投票を、その人の入力として記録します。", "Record what someone taking part by phone or on paper says, their stance or vote, as their own input."),
  "proxy.choose": S("代理で入力する相手", "Enter on behalf of"),
  "proxy.choosePlaceholder": S("参加者を選んでください", "Choose a participant"),
  "proxy.start": S("この人の代理で入力を始める", "Start entering for this person"),
  "proxy.cancel": S("やめる", "Cancel"),
  "proxy.none": S("代理入力できる参加者がいません（オブザーバーと自分は選べません）。", "No one to enter for (observers and yourself cannot be chosen)."),
  "proxy.loading": S("参加者を読み込み中…", "Loading participants…"),
  "proxy.loadFailed": S("参加者を読み込めませんでした。もう一度お試しください。", "Could not load the participants. Please try again."),
  "proxy.activeTitle": S("代理入力中", "Entering on behalf of someone"),
  "proxy.activeBody": S("{who}さんの入力として送信されます（入力者：{me}）。画面は{who}さんから見た状態です。", "What you send is recorded as {who}'s input (entered by {me}). The screen shows what {who} sees."),
  "proxy.allowed": S("代理入力できるのは、課題の提出・意思表示・投票・役割への同意・指標の報告です。", "You can enter issues, stances, ballots, consents to roles and indicator values."),
  "proxy.stop": S("代理入力を終える", "Stop entering for them"),
  "proxy.started": S("{who}さんの代理入力を始めました", "Now entering for {who}"),
  "proxy.stopped": S("代理入力を終えました", "Stopped entering for someone"),
  "proxy.notAllowed": S("代理入力中はこの操作はできません。代理入力を終えてから操作してください。", "This cannot be done while entering for someone. Stop proxy input first."),
  "proxy.label": S("代理入力（入力者：{name}）", "Entered by {name}"),
  "proxy.mineStance": S("あなたの意思表示は{name}さんが代理入力しました。選び直して送信すると置き換わります。", "{name} entered this stance for you. Choose again and send to replace it."),
  "proxy.mineBallot": S("あなたの投票は{name}さんが代理入力しました。投票し直すと置き換わります。", "{name} entered your ballot for you. Vote again to replace it."),
  "proxy.mineConsent": S("あなたの同意・辞退は{name}さんが代理入力しました。選び直すと置き換わります。", "{name} entered your answer for you. Answer again to replace it."),
};
