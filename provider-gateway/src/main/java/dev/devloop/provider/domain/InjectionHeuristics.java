package dev.devloop.provider.domain;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in prompt-injection detector: weighted patterns and heuristics over the text and its
 * de-obfuscated forms, scored 0..1. Plain Java, no dependencies (the benchmark runs it without Quarkus).
 *
 * <p>The text is looked at in several forms: as written; canonical (Unicode NFKC, zero-width and other
 * format characters removed, Cyrillic/Greek homoglyphs mapped to Latin, lower case, whitespace collapsed);
 * URL-decoded ({@code %69gnore}) and HTML-entity-decoded; each base64 run of 16+ characters decoded when it
 * is mostly printable text; leetspeak folded ({@code 1gn0r3}); letters spelled apart joined
 * ({@code i g n o r e}); ROT13. Each rule counts once, with its weight; the score is
 * {@code 1 - Π(1 - weight)} over the rules that matched, plus {@value #OBFUSCATION_BONUS} when the strongest
 * rule only matched after de-obfuscation (hiding an instruction is itself a signal), capped at 1.
 */
public final class InjectionHeuristics {
    static final double OBFUSCATION_BONUS = 0.1;
    /** Texts longer than this are screened on their first and last halves of this many characters. */
    public static final int MAX_SCREENED_CHARS = 50_000;

    private static final int MAX_BASE64_RUNS = 16;

    /**
     * One rule: a name reported as a signal, a weight, the words or fragments one of which must occur for the
     * pattern to be tried at all (a cheap pre-filter: words are looked up in the form's word set, fragments with
     * non-letters by {@code contains}), and a pattern over the canonical (lower-case) form.
     */
    private record Rule(String name, double weight, List<String> triggers, Pattern pattern) {
        Rule(String name, double weight, String triggers, String regex) {
            this(name, weight, List.of(triggers.split(",")), Pattern.compile(regex));
        }
    }

    private static final String VERB_OVERRIDE =
            "(?:ignore|ignoring|disregard|forget|skip|bypass|override|overwrite|overrule|neglect|discard|drop|abandon|set aside|cancel|revoke|stop following|stop obeying|quit following)";
    private static final String QUALIFIER =
            "(?:all|any|every|the|your|its|their|these|those|my|previous|prior|above|earlier|preceding|former|initial|original|foregoing|system|developer|safety|existing|old|given)";
    private static final String TARGET =
            "(?:instructions?|prompts?|rules?|directions?|guidelines?|directives?|context|commands?|constraints?|polic(?:y|ies)|programming|guardrails?|restrictions?|filters?|training)";
    private static final String AI = "(?:ai|assistant|chatbot|language model|llm|agent|model|bot)";
    private static final String LIMITS =
            "(?:rules|guidelines|restrictions|limits|limitations|filters|policies|policy|ethics|morals|boundaries|censorship|guardrails)";

    private static final List<Rule> RULES = List.of(
            new Rule(
                    "override-instructions",
                    0.9,
                    "ignore,ignoring,disregard,forget,skip,bypass,override,overwrite,overrule,neglect,discard,drop,abandon,aside,cancel,revoke,stop,quit",
                    "\\b" + VERB_OVERRIDE + "\\b[^.\\n]{0,40}?\\b" + QUALIFIER + "\\b[^.\\n]{0,40}?\\b" + TARGET
                            + "\\b"),
            new Rule(
                    "override-instructions-i18n",
                    0.9,
                    "anweisungen,befehle,regeln,instruktionen,instructions,instruction,instrucciones,istruzioni",
                    "\\b(?:ignorier\\w*|vergiss)\\b[^.\\n]{0,30}\\b(?:anweisungen|befehle|regeln|instruktionen)\\b"
                            + "|\\bignore[zr]?\\b[^.\\n]{0,30}\\binstructions?\\b[^.\\n]{0,20}\\bpr[ée]c[ée]dentes?\\b"
                            + "|\\b(?:ignora|olvida)\\b[^.\\n]{0,30}\\binstrucciones\\b"
                            + "|\\bignora\\b[^.\\n]{0,30}\\bistruzioni\\b"),
            new Rule(
                    "forget-everything",
                    0.8,
                    "forget,disregard,ignore,aside,drop,discard,abandon",
                    "\\b(?:forget|disregard|ignore|set aside|drop|discard|abandon)\\s+(?:about\\s+)?(?:everything|all(?: of)? (?:that|this|the above)|what (?:you were|i) (?:told|said)|the above)\\b"
                            + "|\\b(?:forget|disregard|ignore|set aside|drop|discard|abandon)\\s+(?:everything|all|whatever|anything)\\s+(?:you were|you've been|you have been|you got)\\s+(?:told|instructed|given|taught)\\b"),
            new Rule(
                    "rules-void",
                    0.75,
                    "apply,void,cancelled,canceled,revoked,suspended,lifted,disabled,obsolete,null,off,matter",
                    "\\b(?:previous|prior|earlier|old|original|above|all|your|the|content|safety|these|any)\\s+(?:instructions?|rules?|directives?|guidelines?|prompts?|polic(?:y|ies)|restrictions?|filters?)\\s+"
                            + "(?:no longer apply|(?:do|does) not apply|don't apply|doesn't apply|(?:is|are) (?:now )?(?:void|cancell?ed|revoked|suspended|lifted|disabled|obsolete|null|off))\\b"
                            + "|\\bwhatever you were (?:told|instructed|given)\\b[^.\\n]{0,20}\\b(?:does not|doesn't|no longer) matter\\b"),
            new Rule(
                    "new-instructions",
                    0.4,
                    "instructions,instruction,task,directive,directives,rules,orders,objective",
                    "\\b(?:new|updated|real|actual|revised|true|secret|hidden|additional)\\s+(?:instructions?|task|directives?|rules|orders|objective)\\s*(?::|-|are\\b|is\\b)"),
            new Rule(
                    "from-now-on",
                    0.5,
                    "now,henceforth,rest",
                    "\\b(?:from now on|henceforth|for the rest of (?:this|the) conversation)\\b[^.\\n]{0,20}\\byou\\b[^.\\n]{0,40}\\b(?:only|never|always|must|will|are)\\b"),
            new Rule(
                    "persona-switch",
                    0.35,
                    "you,character",
                    "\\byou are (?:now|no longer)\\b|\\byou(?:'re| are) not an? (?:ai|assistant|language model)\\b|\\bstay in character\\b"),
            new Rule(
                    "jailbreak-persona",
                    0.75,
                    "anything,dan,mode,jailbroken,jailbreak,jailbreaked,evil,betterdan,stan",
                    "\\bdo anything now\\b|\\b(?:you are|act as|you're|as|enable|enter|activate)\\s+(?:a\\s+)?dan\\b|\\bdan mode\\b"
                            + "|\\b(?:developer|god|jailbreak|unrestricted|dev|debug|sudo|admin|maintenance) mode\\s+(?:is\\s+)?(?:enabled|activated)\\b"
                            + "|\\b(?:enable|enter|activate|switch to)\\s+(?:the\\s+)?(?:developer|god|jailbreak|unrestricted|sudo) mode\\b"
                            + "|\\bjailbr(?:oken|eak(?:ed)?) mode\\b|\\byou are (?:now )?jailbr(?:oken|eaked)\\b|\\bevil (?:confidant|assistant|mode)\\b"
                            + "|\\bbetterdan\\b|\\bstan\\b[^.\\n]{0,20}\\bstrive to avoid norms\\b"),
            new Rule(
                    "unfiltered-persona",
                    0.6,
                    "unfiltered,amoral,uncensored,unrestricted",
                    "\\b(?:unfiltered|amoral|uncensored|unrestricted)\\b[^.\\n]{0,30}\\b" + AI + "\\b"
                            + "|\\b(?:you are|you're) (?:now )?(?:unfiltered|amoral|uncensored|unrestricted)\\b"),
            new Rule(
                    "unrestricted-roleplay",
                    0.75,
                    "pretend,act,behave,roleplay,role,imagine,respond,simulate,emulate,become,play",
                    "\\b(?:pretend|act|behave|roleplay|role-play|imagine|respond|simulate|emulate|become|play)\\b[^.\\n]{0,40}?\\b(?:no|without|free of|free from|unbound by|not bound by|unconstrained by)\\b[^.\\n]{0,25}?\\b(?:restrictions?|limits?|limitations?|filters?|rules|guidelines|censorship|ethics|morals?|boundaries|polic(?:y|ies))\\b"),
            new Rule(
                    "hypothetically-unbound",
                    0.6,
                    "if,imagine,suppose,pretend,game",
                    "\\b(?:if|imagine|suppose|pretend|game where)\\b[^.\\n]{0,30}\\b(?:not bound by|without|free of|no|had no|have no)\\b[^.\\n]{0,15}\\b"
                            + LIMITS + "\\b" + "|\\bas if (?:you had no|your|there were no) (?:"
                            + LIMITS.substring(3, LIMITS.length() - 1)
                            + ")\\b[^.\\n]{0,20}\\b(?:did not|didn't|do not|don't|no longer)?\\s*(?:exist|apply)\\b"),
            new Rule(
                    "no-restrictions",
                    0.4,
                    "without,free,bound,no",
                    "\\b(?:without|free from|free of|not bound by|no longer bound by|no)\\s+(?:any\\s+)?(?:(?:ethical|moral|content|safety)\\s+(?:or\\s+|and\\s+)?)*(?:restrictions|limitations|filters|guidelines|censorship|guardrails)\\b"),
            new Rule(
                    "disable-safety",
                    0.45,
                    "disable,turn,deactivate,remove,bypass,switch,skip,suspend",
                    "\\b(?:disable|turn off|deactivate|remove|bypass|switch off|skip|suspend)\\b[^.\\n]{0,20}\\b(?:(?:content|safety|nsfw|moderation|profanity) filter(?:ing|s)?|filtering|safety|guardrails?|content polic(?:y|ies)|moderation|censorship)\\b"),
            new Rule(
                    "claimed-authority",
                    0.3,
                    "i'm,am",
                    "\\bi(?:'m| am) (?:your|the|an?) (?:developer|creator|admin(?:istrator)?|owner|operator|programmer|maker)\\b"),
            new Rule(
                    "reveal-prompt",
                    0.65,
                    "reveal,show,print,output,repeat,display,leak,tell,give,write,spell,dump,disclose,share,recite,what,copy,paste,quote,echo,summarize,summarise,everything,all,instructions",
                    "\\b(?:reveal|show|print|output|repeat|display|leak|tell me|give me|write out|spell out|dump|disclose|share|recite)\\b[^.\\n]{0,30}?\\b(?:your|hidden|secret|initial|original|system|developer|pre-?)\\s*(?:system\\s+)?(?:prompt|instructions|rules|guidelines|configuration|directives|message)s?\\b"
                            + "|\\bwhat (?:is|are|was|were) your (?:system |initial |original |hidden |secret )?(?:prompt|instructions|rules|directives)\\b"
                            + "|\\b(?:copy|paste|repeat|print|show|output|reveal|quote|recite|echo|summari[sz]e)\\b[^.\\n]{0,30}\\byour (?:very )?(?:first|initial|original|opening|starting) (?:message|prompt|instructions?|lines?)\\b"
                            + "|\\b(?:what|everything|all|the instructions) (?:you were|you've been|you have been) (?:told|given|instructed)\\b[^.\\n]{0,40}\\b(?:word for word|verbatim|paste|repeat|print|copy|exactly)\\b"),
            new Rule(
                    "repeat-above",
                    0.6,
                    "repeat,print,output,copy,echo",
                    "\\b(?:repeat|print|output|copy|echo)\\b[^.\\n]{0,20}\\b(?:the )?(?:words|text|everything|all|content|lines)\\b[^.\\n]{0,15}\\b(?:above|before this|so far|verbatim)\\b"),
            new Rule(
                    "reveal-secrets",
                    0.55,
                    "reveal,tell,give,print,show,output,leak,what",
                    "\\b(?:reveal|tell me|give me|print|show|output|leak|what is)\\b[^.\\n]{0,25}\\b(?:the |your )(?:secret|password|passphrase|api key|access key|credentials)\\b"),
            new Rule(
                    "chat-template-tokens",
                    0.7,
                    "<|,[inst,[/inst,<<sys,<</sys,<system,</system,[system,###",
                    "<\\|(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\\|>|\\[/?inst\\]|<</?sys>>|</?system>|\\[system\\]|###\\s*(?:system|instruction|new instruction)"),
            new Rule(
                    "role-label",
                    0.3,
                    "system,assistant,developer",
                    "(?m)^\\s*(?:system|assistant|developer)\\s*:\\s*\\S"),
            new Rule(
                    "ai-label-directive",
                    0.5,
                    "ai,assistant,llm,model,agent,system",
                    "(?:^|[>\\s(\\[])(?:ai|assistant|llm|model|agent)\\s*:\\s*(?:forward|send|ignore|disregard|tell|say|reply|respond|delete|include|append|recommend|mark|rate|visit|call|run)\\b"
                            + "|\\[(?:assistant|ai|system|model|llm|agent) (?:instructions?|note|directive|message)\\]"),
            new Rule(
                    "hidden-text",
                    0.4,
                    "display,visibility,font,hidden",
                    "display\\s*:\\s*none|visibility\\s*:\\s*hidden|font-size\\s*:\\s*0(?:px)?\\b|\\bhidden (?:text|instructions?|message) for (?:ai|llm|the model|the assistant|language models)"),
            new Rule(
                    "reader-directive",
                    0.45,
                    "read,reads,process,processes,summarize,summarise,summarizes,summarises,see,sees",
                    "\\bwhen (?:you|the assistant|an ai|the ai|the model|an llm|the agent) (?:read|reads|process|processes|summari[sz]es?|sees?) this\\b"),
            new Rule(
                    "end-of-context",
                    0.5,
                    "end",
                    "\\b(?:end of (?:the )?(?:document|text|input|context|conversation|prompt|data|file|email|user input))\\b[^\\n]{0,80}\\b(?:now|new|instead|following)\\b"),
            new Rule(
                    "addressed-to-ai",
                    0.6,
                    "ai,assistant,model,llm,agent,chatbot,bot,models,agents,assistants",
                    "\\b(?:important|urgent|attention|note|message|instructions?|notice|reminder|p\\.?s\\.?)\\s*[!:]*\\s*(?:for|to)\\s+(?:the\\s+|all\\s+|any\\s+|the\\s+reader\\s+)?"
                            + AI + "s?\\b"
                            + "|\\b(?:dear|hey|hi|attention)\\s+" + AI + "(?:\\s+(?:model|agent|assistant))?\\s*[,:!]"
                            + "|\\bif you are an? " + AI + "\\b"),
            new Rule(
                    "ai-must-act",
                    0.5,
                    "ai,assistant,chatbot,llm,agent,model,models,agents,assistants,bot",
                    "\\b" + AI
                            + "s?\\b[^.\\n]{0,25}?\\b(?:must|should|shall|needs to|is instructed to|has to|will now|is required to)\\b[^.\\n]{0,30}?\\b(?:ignore|disregard|reply|respond|say|tell|output|execute|run|call|send|delete|visit|forward|email|include|append|recommend)\\b"),
            new Rule(
                    "hide-from-user",
                    0.6,
                    "not,don't,never,without",
                    "\\b(?:do not|don't|never|without)\\s+(?:tell|inform|mention|reveal|show|telling|informing|mentioning|letting)\\b[^.\\n]{0,25}\\b(?:the user|the human|anyone|them)\\b"),
            new Rule(
                    "forward-messages",
                    0.45,
                    "send,forward,post,email,transmit",
                    "\\b(?:send|forward|post|email|transmit)\\b[^.\\n]{0,20}\\b(?:the user's|their|all|every|the last|the previous)\\b[^.\\n]{0,20}\\b(?:messages?|emails?|conversation|history|contacts?|files?)\\b[^.\\n]{0,20}\\bto\\b[^.\\n]{0,10}(?:https?://|[a-z0-9._%+-]+@[a-z0-9-]+\\.)"),
            new Rule(
                    "exfiltrate",
                    0.7,
                    "send,post,forward,upload,exfiltrate,leak,transmit,email,submit,copy",
                    "\\b(?:send|post|forward|upload|exfiltrate|leak|transmit|email|submit|copy)\\b[^.\\n]{0,50}?\\b(?:passwords?|credentials?|api keys?|secrets?|tokens?|conversation|chat history|system prompt|user data|personal data|cookies?|session)\\b[^.\\n]{0,50}?\\b(?:to|at|into)\\b[^.\\n]{0,20}?(?:https?://|www\\.|[a-z0-9._%+-]+@[a-z0-9-]+\\.|\\b[a-z0-9-]+\\.(?:com|net|io|org|ru|xyz|site|top|example)\\b)"),
            new Rule(
                    "markdown-exfil",
                    0.5,
                    "![",
                    "!\\[[^\\]]{0,100}\\]\\(https?://[^)\\s]{1,200}[?&][a-z_]{1,30}=[^)\\s]{0,200}\\)"),
            new Rule(
                    "execute-command",
                    0.35,
                    "execute,run,eval,rm,curl",
                    "\\b(?:execute|run|eval)\\b[^.\\n]{0,20}\\b(?:the following|this)\\b[^.\\n]{0,20}\\b(?:command|code|script|shell|payload)s?\\b|\\brm -rf /|\\bcurl [^\\n]{0,80}\\|\\s*(?:ba)?sh\\b"),
            new Rule(
                    "true-purpose",
                    0.45,
                    "your",
                    "\\byour (?:true|real|actual|new|only) (?:purpose|goal|task|instructions?|objective|mission|orders) (?:is|are|now|come)\\b"),
            new Rule("canary-phrase", 0.5, "pwned,pwnd", "\\b(?:i have been|you have been|haha) pwn(?:e)?d\\b"),
            new Rule(
                    "instead-respond",
                    0.45,
                    "instead,say,respond,reply,output,print",
                    "\\binstead,?\\s+(?:you (?:must|should|will)\\s+)?(?:say|respond|reply|output|print|write)\\b[^.\\n]{0,30}\\b(?:only|exactly|verbatim|the (?:word|phrase|text))\\b"
                            + "|\\b(?:say|respond with|reply with|output|print)\\s+(?:only\\s+)?[\"'“][^\"'”]{1,60}[\"'”]\\s+(?:and nothing else|only|instead)\\b"));

    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{16,}={0,2}");
    private static final Pattern PERCENT = Pattern.compile("%[0-9A-Fa-f]{2}");
    private static final Pattern HTML_ENTITY = Pattern.compile("&#(x[0-9A-Fa-f]{1,6}|\\d{1,7});");
    private static final Map<Character, Character> HOMOGLYPHS = homoglyphs();

    private InjectionHeuristics() {}

    /** Scores {@code text}; null or blank → 0. */
    public static InjectionScore score(String text) {
        if (text == null || text.isBlank()) {
            return InjectionScore.ZERO;
        }
        String bounded = text.length() <= MAX_SCREENED_CHARS
                ? text
                : text.substring(0, MAX_SCREENED_CHARS / 2) + "\n"
                        + text.substring(text.length() - MAX_SCREENED_CHARS / 2);
        Map<String, String> forms = forms(bounded);
        Map<String, Double> matched = new LinkedHashMap<>();
        Map<String, String> foundIn = new LinkedHashMap<>();
        for (Map.Entry<String, String> form : forms.entrySet()) {
            String value = form.getValue();
            java.util.Set<String> words = words(value);
            for (Rule rule : RULES) {
                if (!matched.containsKey(rule.name())
                        && triggered(rule, value, words)
                        && rule.pattern().matcher(value).find()) {
                    matched.put(rule.name(), rule.weight());
                    foundIn.put(rule.name(), form.getKey());
                }
            }
        }
        if (matched.isEmpty()) {
            return InjectionScore.ZERO;
        }
        double keep = 1;
        double strongest = 0;
        String strongestForm = "canonical";
        for (Map.Entry<String, Double> m : matched.entrySet()) {
            keep *= 1 - m.getValue();
            if (m.getValue() > strongest) {
                strongest = m.getValue();
                strongestForm = foundIn.get(m.getKey());
            }
        }
        double score = 1 - keep;
        if (!"canonical".equals(strongestForm)) {
            score += OBFUSCATION_BONUS;
        }
        List<String> signals = new ArrayList<>();
        matched.keySet().forEach(r -> signals.add("canonical".equals(foundIn.get(r)) ? r : r + "@" + foundIn.get(r)));
        return new InjectionScore(Math.min(1.0, Math.round(score * 1000) / 1000.0), List.copyOf(signals));
    }

    private static final Pattern WORD = Pattern.compile("[a-z]+");

    private static java.util.Set<String> words(String form) {
        java.util.Set<String> words = new java.util.HashSet<>();
        Matcher m = WORD.matcher(form);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /**
     * {@code WORD.matcher(t).matches()} without a regex: this ran for every trigger of every rule on every form of
     * every call, and its {@code Matcher}s were a third of the hot path's allocation (JFR, stop 33).
     */
    static boolean isWord(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }

    private static boolean triggered(Rule rule, String form, java.util.Set<String> words) {
        for (String t : rule.triggers()) {
            if (isWord(t) ? words.contains(t) : form.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** The forms a text is screened in, canonical first; only forms that differ from it are kept. */
    static Map<String, String> forms(String text) {
        Map<String, String> forms = new LinkedHashMap<>();
        String canonical = canonical(text);
        forms.put("canonical", canonical);
        String decoded = text;
        if (PERCENT.matcher(decoded).find()) {
            decoded = percentDecode(percentDecode(decoded));
        }
        if (HTML_ENTITY.matcher(decoded).find()) {
            decoded = htmlDecode(decoded);
        }
        addForm(forms, "urlencoded", canonical(decoded));
        StringBuilder base64 = new StringBuilder();
        Matcher runs = BASE64_RUN.matcher(text);
        int seen = 0;
        while (runs.find() && seen++ < MAX_BASE64_RUNS) {
            String plain = base64(runs.group());
            if (plain != null) {
                base64.append(plain).append('\n');
            }
        }
        if (base64.length() > 0) {
            addForm(forms, "base64", canonical(base64.toString()));
        }
        addForm(forms, "leet", leet(canonical, 'i'));
        addForm(forms, "leet", leet(canonical, 'l'));
        addForm(forms, "spaced", canonical(despace(Normalizer.normalize(text, Normalizer.Form.NFKC))));
        addForm(forms, "rot13", rot13(canonical));
        return forms;
    }

    private static void addForm(Map<String, String> forms, String name, String value) {
        if (value == null || forms.containsValue(value)) {
            return;
        }
        String key = name;
        for (int i = 2; forms.containsKey(key); i++) {
            key = name + i;
        }
        forms.put(key, value);
    }

    /** NFKC, format characters (zero-width, soft hyphen, bidi controls) dropped, homoglyphs mapped, lower case. */
    static String canonical(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(n.length());
        boolean space = false;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.NON_SPACING_MARK || c == '\u00AD') {
                continue;
            }
            Character mapped = HOMOGLYPHS.get(c);
            if (mapped != null) {
                c = mapped;
            }
            if (Character.isWhitespace(c) && c != '\n') {
                if (!space) {
                    sb.append(' ');
                }
                space = true;
                continue;
            }
            space = false;
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString().replace('’', '\'').replace('‘', '\'');
    }

    private static String percentDecode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c == '+' ? ' ' : c);
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static String htmlDecode(String s) {
        Matcher m = HTML_ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String g = m.group(1);
            int cp;
            try {
                cp = g.startsWith("x") ? Integer.parseInt(g.substring(1), 16) : Integer.parseInt(g);
            } catch (NumberFormatException e) {
                continue;
            }
            m.appendReplacement(
                    sb,
                    Character.isValidCodePoint(cp) ? Matcher.quoteReplacement(new String(Character.toChars(cp))) : "");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The decoded text of a base64 (or base64url) run when at least 85 % of it is printable; else null. */
    static String base64(String run) {
        String s = run.replace('-', '+').replace('_', '/');
        String body = s.replace("=", "");
        if (body.length() % 4 == 1) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body + "==".substring(0, (4 - body.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        long printable = text.chars()
                .filter(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' || c > 0xa0 && c != 0xfffd)
                .count();
        long letters = text.chars().filter(Character::isLetter).count();
        return text.length() >= 8 && printable >= 0.85 * text.length() && letters >= 0.5 * text.length() ? text : null;
    }

    /** Leetspeak folded to letters; {@code one} is what {@code 1}, {@code |} and {@code !} become ({@code i} or {@code l}). */
    static String leet(String s, char one) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean inWord = i > 0 && Character.isLetterOrDigit(s.charAt(i - 1))
                    || i + 1 < s.length() && Character.isLetterOrDigit(s.charAt(i + 1));
            char m = !inWord
                    ? c
                    : switch (c) {
                        case '0' -> 'o';
                        case '1', '|', '!' -> one;
                        case '3' -> 'e';
                        case '4', '@' -> 'a';
                        case '5', '$' -> 's';
                        case '7', '+' -> 't';
                        case '8' -> 'b';
                        case '9' -> 'g';
                        default -> c;
                    };
            sb.append(m);
        }
        return sb.toString();
    }

    /**
     * Letters spelled apart joined: {@code i g n o r e  a l l} (words separated by wider gaps) and
     * {@code i.g.n.o.r.e a.l.l} (one separator inside words, another between them).
     */
    static String despace(String s) {
        String out = s;
        for (char sep : new char[] {' ', '.', '-', '_', '*', '|'}) {
            out = join(out, sep);
        }
        return out;
    }

    /** Drops each {@code sep} standing between two single letters (letters with no letter on their other side). */
    private static String join(String s, char sep) {
        if (s.indexOf(sep) < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == sep
                    && i > 0
                    && i + 1 < n
                    && Character.isLetter(s.charAt(i - 1))
                    && Character.isLetter(s.charAt(i + 1))
                    && (i < 2 || !Character.isLetter(s.charAt(i - 2)))
                    && (i + 2 >= n || !Character.isLetter(s.charAt(i + 2)))) {
                continue;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static String rot13(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) ('a' + (c - 'a' + 13) % 26);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static Map<Character, Character> homoglyphs() {
        Map<Character, Character> m = new java.util.HashMap<>();
        String[] pairs = {
            // Cyrillic
            "аa",
            "Аa",
            "вb",
            "Вb",
            "еe",
            "Еe",
            "ёe",
            "іi",
            "Іi",
            "їi",
            "јj",
            "Јj",
            "кk",
            "Кk",
            "мm",
            "Мm",
            "нh",
            "Нh",
            "оo",
            "Оo",
            "рp",
            "Рp",
            "сc",
            "Сc",
            "тt",
            "Тt",
            "уy",
            "Уy",
            "хx",
            "Хx",
            "ѕs",
            "Ѕs",
            "ԁd",
            "ɡg",
            "ԛq",
            "ԝw",
            "ӏl",
            "һh",
            "ւu",
            "ո n",
            // Greek
            "αa",
            "Αa",
            "βb",
            "Βb",
            "εe",
            "Εe",
            "ηn",
            "Ηh",
            "ιi",
            "Ιi",
            "κk",
            "Κk",
            "μu",
            "Μm",
            "νv",
            "Νn",
            "οo",
            "Οo",
            "ρp",
            "Ρp",
            "τt",
            "Τt",
            "υu",
            "Υy",
            "χx",
            "Χx",
            "ζz",
            "Ζz",
            // Latin look-alikes and symbols
            "ıi",
            "ǀl",
            "ⅰi",
            "ℓl",
            "ｉi",
            "ꞮI"
        };
        for (String p : pairs) {
            String t = p.replace(" ", "");
            m.put(t.charAt(0), Character.toLowerCase(t.charAt(1)));
        }
        return Map.copyOf(m);
    }

    /** The rule names, for documentation and tests. */
    public static List<String> rules() {
        return RULES.stream().map(Rule::name).toList();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
