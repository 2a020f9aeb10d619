/**
 * A page's subscription to the service worker's change notices (background/changes.ts): `onChange`
 * runs when one of `topics` changed, so the page asks again instead of showing what it read at load.
 */
import { useEffect, useRef } from 'preact/hooks';
import { isChangedMessage, type ChangeTopic } from '../shared/messages.js';

export function useChanges(topics: readonly ChangeTopic[], onChange: (topic: ChangeTopic) => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const listener = (message: unknown, sender: chrome.runtime.MessageSender) => {
      if (sender.id !== chrome.runtime.id || !isChangedMessage(message) || !topics.includes(message.topic)) return;
      latest.current(message.topic);
    };
    chrome.runtime.onMessage.addListener(listener);
    return () => chrome.runtime.onMessage.removeListener(listener);
  }, [topics.join(',')]);
}
