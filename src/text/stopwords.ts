// Function words plus the verbs people wrap a question in ("tell me about", "explain"): none of
// them says what the question is about, so none counts for retrieval, scoring or abstention.
const FUNCTION_WORDS = `a about above after again against all am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for
from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on
once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such
than that that's the their theirs them themselves then there there's these they they'd they'll they're they've this those
through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
will shall may might must also just s t d ll m o re ve y wo n't 's 'd 'll 're 've 'm yet ever`;

const QUESTION_WRAPPERS = `explain tell describe summarize summarise give show know please briefly brief me us
overview summary happen happened happening thing things anything something get got going really actually`;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  `${FUNCTION_WORDS} ${QUESTION_WRAPPERS}`.split(/\s+/).filter(Boolean),
);

/** Words that open a question; a capital letter on them says nothing about a name. */
export const QUESTION_OPENERS: ReadonlySet<string> = new Set(
  'what why how who whom whose when where which is are was were do does did can could would should will explain tell describe give list summarize summarise'.split(' '),
);
