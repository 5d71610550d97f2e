// Small talk: greetings, thanks, farewells, questions about the assistant. No tool is called.
import { defineIntent, example } from '../grammar.ts';
import { chatReply } from '../replies.ts';

type Topic = 'greeting' | 'thanks' | 'help' | 'identity' | 'wellbeing' | 'farewell';

const smallTalk: [RegExp, Topic][] = [
  [/^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening|day)|greetings|howdy)( there)?( taskstream)?$/i, 'greeting'],
  [
    /^((thanks|thank you|thx|ty|cheers|great|awesome|perfect|nice|cool|ok(ay)?|got it|lol|haha|sweet|good|fine|alright)[ ,!]*)+( (so|very) much)?( mate)?$/i,
    'thanks',
  ],
  [/^(bye|goodbye|good night|see you|see ya|later|that'?s all|that is all( for now)?|nothing else|never ?mind|no|nope|all good)$/i, 'farewell'],
  [/^(help|what can you do|how does this work|how do (i|you) use (this|you)|commands)$/i, 'help'],
  [/^((who|what) are you|what'?s your name|what is your name)$/i, 'identity'],
  [/^(how are you( doing)?( today)?|how's it going|what's up|sup)$/i, 'wellbeing'],
];

export const chat = defineIntent({
  kind: 'chat' as const,
  verbs: {},
  rules: {
    smallTalk: {
      read: ({ text }) => {
        const topic = smallTalk.find(([pattern]) => pattern.test(text))?.[1];
        return topic ? { kind: 'chat', topic } : undefined;
      },
      examples: [example('hi'), example('thank you so much'), example('what can you do?'), example('bye for now')],
    },
  },
  plan: (intent) => ({ say: chatReply(intent) }),
});
