// Who may change the corpus from the chat: the people on BRIEFBOT_EDITORS (config.editors). Every
// platform asks the same question with the ids it knows about the person: a Slack user id, or a
// Discord user id together with the ids of the member's roles, so a whole role can be made editors.

/** True when any of `ids` is on the editors list; an empty list lets nobody edit from the chat. */
export function isEditor(editors: readonly string[], ids: readonly string[]): boolean {
  if (!editors.length) return false;
  const listed = new Set(editors);
  return ids.some((id) => id !== '' && listed.has(id));
}
