import { Events, Topics } from '@nmirf/contracts';

const topicOfType = new Map(Object.values(Events).map((event) => [event.type, Topics[event.topic]]));

/**
 * What is wrong with handling these event types while consuming these topics: a type the contracts
 * do not define, or one whose topic is not consumed, so that its handler would never run.
 */
export function unconsumedHandlers(types: Iterable<string>, topics: readonly string[]): string[] {
  const problems: string[] = [];
  for (const type of types) {
    const topic = topicOfType.get(type);
    if (!topic) problems.push(`${type}: no such event type in the contracts`);
    else if (!topics.some((consumed) => consumed.endsWith(topic)))
      problems.push(`${type}: its topic ${topic} is not consumed`);
  }
  return problems;
}
