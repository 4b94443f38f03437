// Chat-style questions reach the answer engine as plain English: invisible characters, emoji and
// chat abbreviations are the question's packaging, not its content. Names, numbers, acronyms and
// ordinary words must come through untouched, and no input may stall the bot.
import { describe, expect, test } from 'vitest';
import { normalizeQuestion } from '../../src/text/casual.js';
import { CHAT_LEXICON, LOWER_CASE_ONLY } from '../../src/text/chat-lexicon.js';

const norm = (s: string) => normalizeQuestion(s).text;

describe('questions as typed in Slack', () => {
  test.each([
    ['wat did rubio say b4 the mtg', 'what did rubio say before the meeting'],
    ['tbh confused, is iran still enrichin or nah', 'confused, is iran still enrichin'],
    [
      'whos this cooper guy n why was he at the talks in full uniform lol',
      'who is this cooper guy and why was he at the talks in full uniform',
    ],
    ['did araghchi say smth abt trust?? need the exact quote', 'did araghchi say something about trust? need the exact quote'],
    ['whats the deal w/ the 25% tarrif thing trump signed', 'what is the deal with the 25% tarrif thing trump signed'],
    ['idk wat the deal is tbh', 'I do not know what the deal is'],
    ['can u pls tell me abt it plz', 'can you tell me about it'],
    ['pls explain the snapback thing asap thx', 'explain the snapback thing as soon as possible thanks'],
    ['is iran enriching or nah? and what about oman', 'is iran enriching? and what about oman'],
    ['Is iran still enriching, or nah?!', 'Is iran still enriching?'],
    ['why r they mad or wat', 'why are they mad'],
    ['hahahaha ok so whats up 😂😂', 'ok so what is up'],
    ['what did he say, lol?', 'what did he say?'],
    ['lol. what did he say', 'what did he say'],
  ])('%j', (typed, plain) => {
    expect(normalizeQuestion(typed)).toEqual({ text: plain, changed: true });
  });

  test('a plain question comes back as it was', () => {
    for (const q of ['What did Rubio say before the meeting?', 'Why is Oman trusted as a mediator?', 'Oman’s role in the 2025–26 talks']) {
      expect(normalizeQuestion(q)).toEqual({ text: q, changed: false });
    }
  });
});

describe('invisible and control characters', () => {
  test.each([
    ['zero-width space inside a word', 'O\u200Bman', 'Oman'],
    ['zero-width non-joiner and joiner', 'Om\u200Can\u200D talks', 'Oman talks'],
    ['left-to-right and right-to-left marks', '\u200Ewhat about \u200Foman', 'what about oman'],
    ['bidi override', 'talks \u202Etoday\u202C', 'talks today'],
    ['bidi embedding', '\u202Awhat\u202B about\u202C', 'what about'],
    ['isolates', '\u2066what\u2069 about \u2067oman\u2069', 'what about oman'],
    ['word joiner and invisible operators', 'nu\u2060cle\u2062ar', 'nuclear'],
    ['byte order mark', '\uFEFFwhat about oman', 'what about oman'],
    ['soft hyphen', 'nu\u00ADclear deal', 'nuclear deal'],
    ['variation selectors', 'what\uFE0F about\uFE0E oman\u{E0100}', 'what about oman'],
    ['Mongolian vowel separator', 'om\u180Ean', 'oman'],
    ['C0 control between words', 'what\u0007about', 'what about'],
    ['next-line control', 'what\u0085about', 'what about'],
    ['tabs and newlines', '\t\twhat about\noman\r\n', 'what about oman'],
    ['line separator', 'what about\u2028oman', 'what about oman'],
  ])('%s', (_name, typed, plain) => {
    expect(norm(typed)).toBe(plain);
  });

  test('curly quotes, apostrophes and dashes are not format characters', () => {
    const q = 'Did “Araghchi’s” team say the 2025–26 talks—in Muscat—were ‘direct’?';
    expect(normalizeQuestion(q)).toEqual({ text: q, changed: false });
  });

  test('letters of other scripts are kept', () => {
    const q = 'ما هو موقف عُمان من المحادثات؟ 日本はどう見ていますか';
    expect(normalizeQuestion(q)).toEqual({ text: q, changed: false });
  });
});

describe('emoji', () => {
  test.each([
    ['pictographs', 'what about oman 🤔🔥', 'what about oman'],
    ['between words without spaces', 'talks🔥today', 'talks today'],
    ['skin-tone modifier', '👍🏽 what about oman', 'what about oman'],
    ['ZWJ sequence', 'what 👨‍👩‍👧 about oman', 'what about oman'],
    ['flag (regional indicators)', '🇮🇷 iran and the 🇺🇸 US', 'iran and the US'],
    ['flag (tag sequence)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 scotland', 'scotland'],
    ['keycap keeps its digit', 'round 2️⃣ of talks', 'round 2 of talks'],
    ['emoji-styled punctuation', 'what‼ really⁉', 'what! really?'],
    ['Slack shortcodes', 'what about oman :fire: :thinking_face:', 'what about oman'],
    ['Slack shortcode with skin tone', 'nice :thumbsup::skin-tone-2: thanks', 'nice thanks'],
    ['Slack +1', 'agreed :+1: what next', 'agreed what next'],
    ['typed faces', 'talks in Muscat :) :-( xD <3', 'talks in Muscat'],
  ])('%s', (_name, typed, plain) => {
    expect(norm(typed)).toBe(plain);
  });

  test('colons that are not shortcodes stay', () => {
    for (const q of ['did they meet at 10:30:45?', 'is a 3:2 vote enough', 'Note: what did Rubio say?']) expect(norm(q)).toBe(q);
  });
});

describe('punctuation and whitespace', () => {
  test.each([
    ['what??', 'what?'],
    ['what?!?!', 'what?'],
    ['what!!!', 'what!'],
    ['so....', 'so.'],
    ['wait...what happened', 'wait. what happened'],
    ['what about oman ?', 'what about oman?'],
    ['what,, about oman', 'what, about oman'],
    ['  what   about\u3000\u3000oman\u00A0\u00A0?  ', 'what about oman?'],
    ['!!! what about oman', 'what about oman'],
  ])('%j', (typed, plain) => {
    expect(norm(typed)).toBe(plain);
  });

  test('a lone ellipsis character and the space before ".gov" stay', () => {
    expect(norm('said smth… about state .gov')).toBe('said something… about state .gov');
  });

  test('40,000 ideographic spaces normalise (linear time: the vitest timeout catches a hang)', () => {
    expect(normalizeQuestion('\u3000'.repeat(40_000))).toEqual({ text: '', changed: true });
    expect(norm(`what${'\u3000'.repeat(40_000)}about oman${'\u3000'.repeat(40_000)}?`)).toBe('what about oman?');
  });

  test('40,000 no-break spaces normalise', () => {
    expect(normalizeQuestion('\u00A0'.repeat(40_000))).toEqual({ text: '', changed: true });
    expect(norm(`what${'\u00A0'.repeat(40_000)}about oman${'\u00A0'.repeat(40_000)}?`)).toBe('what about oman?');
  });

  test('other long runs normalise', () => {
    expect(norm(' \u3000\u00A0\t'.repeat(10_000) + 'oman?')).toBe('oman?');
    expect(norm(`oman${'?'.repeat(40_000)}`)).toBe('oman?');
    expect(norm(`oman ${' ?'.repeat(20_000)}`)).toBe('oman?');
    expect(norm(`oman ${':'.repeat(40_000)}`)).toBe('oman');
    expect(norm(`oman ${'-'.repeat(40_000)}`)).toBe(`oman ${'-'.repeat(40_000)}`);
    expect(norm(`oman ${'\u200B'.repeat(40_000)}talks`)).toBe('oman talks');
    expect(norm(`oman ${'😂'.repeat(20_000)} talks`)).toBe('oman talks');
    expect(norm(`oman ${'lol '.repeat(10_000)}talks`)).toBe('oman talks');
    expect(norm(`w/${'a'.repeat(40_000)}`)).toBe(`with ${'a'.repeat(40_000)}`);
  });
});

describe('chat abbreviations', () => {
  test.each([
    ['b4', 'before'],
    ['u', 'you'],
    ['ur', 'your'],
    ['r', 'are'],
    ['n', 'and'],
    ['wat', 'what'],
    ['wut', 'what'],
    ['whats', 'what is'],
    ['whos', 'who is'],
    ['hows', 'how is'],
    ['wheres', 'where is'],
    ['thats', 'that is'],
    ['abt', 'about'],
    ['smth', 'something'],
    ['sth', 'something'],
    ['w/', 'with'],
    ['w/o', 'without'],
    ['bc', 'because'],
    ['cuz', 'because'],
    ['coz', 'because'],
    ['thx', 'thanks'],
    ['gonna', 'going to'],
    ['wanna', 'want to'],
    ['gotta', 'got to'],
    ['kinda', 'kind of'],
    ['sorta', 'sort of'],
    ['dunno', 'do not know'],
    ['lemme', 'let me'],
    ['gimme', 'give me'],
    ['ya', 'yes'],
    ['yea', 'yes'],
    ['yeah', 'yes'],
    ['yep', 'yes'],
    ['nah', 'no'],
    ['nope', 'no'],
    ['idk', 'I do not know'],
    ['fyi', 'for your information'],
    ['asap', 'as soon as possible'],
    ['mtg', 'meeting'],
    ['govt', 'government'],
    ['gov', 'government'],
    ['intl', 'international'],
    ['approx', 'approximately'],
    ['info', 'information'],
    ['tho', 'though'],
    ['thru', 'through'],
    ['w/e', 'whatever'],
    ['rn', 'right now'],
    ['atm', 'at the moment'],
    ['tl;dr', 'summary'],
    ['tldr', 'summary'],
    ['eta', 'estimated time of arrival'],
    ['dont', 'do not'],
    ['b/w', 'between'],
  ])('%s -> %s', (abbreviation, plain) => {
    expect(norm(`so ${abbreviation} here`)).toBe(`so ${plain} here`);
  });

  test.each(['lol', 'lmao', 'rofl', 'smh', 'tbh', 'ngl', 'imo', 'imho', 'fwiw', 'omg', 'ugh', 'haha', 'hmm', 'pls', 'plz', 'btw'])(
    '%s is dropped',
    (filler) => {
      expect(norm(`so ${filler} what about oman`)).toBe('so what about oman');
    },
  );

  test('elongated laughter and hesitation are dropped', () => {
    expect(norm('hahahaha lolol hmmmm ughhh plzzz what about oman')).toBe('what about oman');
  });

  test('every lexicon entry rewrites as a whole word with its surroundings kept', () => {
    const entries = Object.entries(CHAT_LEXICON);
    expect(entries.length).toBeGreaterThanOrEqual(100);
    for (const [typed, plain] of entries) {
      expect(typed).toBe(typed.toLowerCase());
      const expected = plain ? `what about ${plain} here?` : 'what about here?';
      expect(norm(`what about ${typed} here?`), typed).toBe(expected);
    }
  });

  test('case follows the typed word; a question in capitals stays in capitals', () => {
    expect(norm('Wat did Rubio say')).toBe('What did Rubio say');
    expect(norm('Whats the deal')).toBe('What is the deal');
    expect(norm('B4 the talks')).toBe('Before the talks');
    expect(norm('IDK what the deal is')).toBe('I do not know what the deal is');
    expect(norm('LOL what happened')).toBe('what happened');
    expect(norm('WAT DID RUBIO SAY B4 THE MTG')).toBe('WHAT DID RUBIO SAY BEFORE THE MTG');
  });

  test('acronyms and names in capitals are not chat', () => {
    expect(normalizeQuestion('did the US and IT say OR agree?').changed).toBe(false);
    for (const q of ['what did the IMO say about shipping', 'what did MTG say', 'ETA claims', 'R U sure', 'what about Ur', 'N Korea']) {
      expect(normalizeQuestion(q)).toEqual({ text: q, changed: false });
    }
    expect(LOWER_CASE_ONLY.has('imo')).toBe(true);
  });

  test('only whole words: names, numbers, digits and longer words are untouched', () => {
    for (const q of [
      'what about Khorramshahr-4 and the F-35C',
      'the 25% tariff',
      'round 2 of talks, need 2 know',
      'runway unrest nowhere urgent',
      'what about r&d and n/a items',
      'u-turn on the u.s. deal',
      'the .gov site and #info',
      'what about Shahed-136 b4-day',
    ]) {
      expect(normalizeQuestion(q)).toEqual({ text: q, changed: false });
    }
    expect(norm('Khorramshahr-4 n F-35C r 25% 😂 :fire:')).toBe('Khorramshahr-4 and F-35C are 25%');
  });

  test('the people asking, named after a modal, are "we"; elsewhere they stay', () => {
    expect(norm('what signposts should the desk be watching')).toBe('what signposts should we be watching');
    expect(norm('what does our team need to know')).toBe('what does we need to know');
    for (const q of ['what did the desk report', 'did the team in muscat include cooper', 'should the IAEA team go back']) expect(normalizeQuestion(q).changed, q).toBe(false);
  });

  test('a lone letter before a full stop is an initial', () => {
    expect(norm('u said n. korea')).toBe('you said n. korea');
    expect(norm('boats messed w a tanker, george w. bush')).toBe('boats messed with a tanker, george w. bush');
    expect(normalizeQuestion('what did George W Bush say').changed).toBe(false);
  });

  test('brackets, quotes and markdown around a word are kept', () => {
    expect(norm('(abt oman) "wat" *thx*')).toBe('(about oman) "what" *thanks*');
    expect(norm('talks w/iran')).toBe('talks with iran');
  });

  test('a closing "or nah" needs a question before it', () => {
    expect(norm('yes or no?')).toBe('yes or no?');
    expect(norm('or nah')).toBe('or no');
    expect(norm('is it legal or not?')).toBe('is it legal?');
    expect(norm('is it x or nah? is it y or nah?')).toBe('is it x? is it y?');
    expect(norm('is it war or nah and why')).toBe('is it war or no and why');
  });
});

describe('never empty', () => {
  test('a question of filler words keeps its cleaned words', () => {
    expect(normalizeQuestion('lol')).toEqual({ text: 'lol', changed: false });
    expect(normalizeQuestion('lol??')).toEqual({ text: 'lol?', changed: true });
    expect(normalizeQuestion('  tbh 😂 idk  ')).toEqual({ text: 'I do not know', changed: true });
    expect(normalizeQuestion('omg\u200B lmao!!')).toEqual({ text: 'omg lmao!', changed: true });
  });

  test('input without words gives its cleaned characters', () => {
    expect(normalizeQuestion('')).toEqual({ text: '', changed: false });
    expect(normalizeQuestion('???')).toEqual({ text: '?', changed: true });
    expect(normalizeQuestion('🔥🔥')).toEqual({ text: '', changed: true });
    expect(normalizeQuestion('\u200B')).toEqual({ text: '', changed: true });
  });
});
