// Names and badges of the directory: organisation kinds (PEOPLE.md), council
// kinds, seat roles (the glossary's words), and the states of people,
// organisations and set-up links.
import { h } from "../dom.js";
import { t } from "../i18n.js";

export const ORG_KINDS = [
  "prefecture", "health_centre", "municipality", "hospital", "clinic", "association",
  "visiting_nurse", "community_support_centre", "care_management", "social_welfare_council", "other",
];

export const SEAT_ROLES = ["facilitator", "member", "observer"];

export function orgKindText(kind) {
  return ORG_KINDS.includes(kind) ? t(`org.kind.${kind}`) : kind || "";
}

export function councilKindText(kind) {
  return t(kind === "one_on_one" ? "acc.kind.one_on_one" : "acc.kind.council");
}

export function roleText(role) {
  return SEAT_ROLES.includes(role) ? t(`role.${role}`) : role || "";
}

export function roleBadge(role) {
  return h("span", { class: `badge badge-role-${role}`, text: roleText(role) });
}

// An organisation's state: active, deactivated, or merged into another.
export function orgState(org) {
  if (org.state) return org.state;
  if (org.merged_into) return "merged";
  if (org.deactivated_at || org.active === false) return "deactivated";
  return "active";
}

// A person's state: active or deactivated.
export function personState(person) {
  if (person.state || person.status) return person.state || person.status;
  if (person.deactivated_at || person.active === false) return "deactivated";
  return "active";
}

export function stateBadge(kind, state) {
  return h("span", { class: `badge acc-state acc-state-${state}`, text: t(`acc.${kind}.state.${state}`) });
}

// Set-up link states: unused 未使用, used 使用済み, expired 期限切れ, revoked 取消.
export function invitationBadge(state) {
  return h("span", { class: `badge acc-inv acc-inv-${state}`, text: t(`acc.inv.state.${state}`) });
}

// {id, name} or a bare id/name → the name to show.
export function nameOf(ref, byId) {
  if (!ref) return "";
  if (typeof ref === "string") return byId?.get(ref)?.name || ref;
  return ref.name || byId?.get(ref.id)?.name || ref.id || "";
}

export function idOf(ref) {
  if (!ref) return "";
  return typeof ref === "string" ? ref : ref.id || "";
}

// "ABCD EFGH IJKL…" for typing a secret by hand.
export function groupsOf4(text) {
  return String(text || "").replace(/\s+/g, "").match(/.{1,4}/g)?.join(" ") || "";
}
