// The plugin API version. A plugin registers with the version it was written for; the
// host accepts API_MIN_VERSION <= version <= API_VERSION.
//
// Compatibility policy (documented for authors in plugins/README.md):
// - Adding to the API (a new hook, a new field, a new option value) raises API_VERSION by
//   one. Plugins written for an older version keep working unchanged.
// - A plugin that uses something new registers with the new number, so an older tsqemu
//   refuses it with a clear message instead of failing later on a missing function.
// - Changing or removing anything raises API_MIN_VERSION too: plugins below it are refused
//   and told to update. This is rare and announced in the README's version history.

/** The version this tsqemu implements (the newest a plugin may ask for). */
export const API_VERSION: number = 2;
/** The oldest version still accepted. */
export const API_MIN_VERSION: number = 1;
