import { PluginRegistry } from '@mctb/plugin-sdk';
import { voiceAiPlugin } from '@mctb/plugin-voice-ai';

/** First-party plugins shipped with the platform; every service builds its registry from this. */
export function firstPartyPlugins(): PluginRegistry {
  return new PluginRegistry([voiceAiPlugin]);
}
