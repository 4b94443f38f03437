// wink-nlp, loaded once per process. Loading the language model costs ~170 ms, so it happens on
// first use rather than at import time: commands that never tokenise never pay for it.
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;

export function getNlp(): Nlp {
  // 'pos' feeds the lemmatiser: "met" and "meet" must match. It adds under a millisecond a question.
  nlp ??= winkNLP(model, ['sbd', 'pos']);
  return nlp;
}
