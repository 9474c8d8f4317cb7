package io.runlight.insights.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity rules are scanned by hand (they run for every field of every event); each must
 * accept exactly what its pattern, as the rules were first written, matches.
 */
class TestIdentityNameRules
{
    private static final Map<IdentityNames.Rule, Pattern> PATTERNS = Map.of(
            IdentityNames.Rule.CLUSTER, Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 ._:/-]*[A-Za-z0-9._:/-])?"),
            IdentityNames.Rule.LABEL, Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?"),
            IdentityNames.Rule.SUBDOMAIN, Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"),
            IdentityNames.Rule.KIND, Pattern.compile("[A-Za-z][A-Za-z0-9]*"),
            IdentityNames.Rule.CONTAINER, Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*"),
            IdentityNames.Rule.REFERENCE, Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]*"));

    @Test
    void eachRuleAcceptsWhatItsPatternMatches()
    {
        // every character a rule treats specially, its neighbours in ASCII, and some that only look alike
        String alphabet = "aAzZ09mM ._:/-@+~`!#$%^&*()=[]{}|\\;'\",<>?\t\n\r\u0000\u007f\u00e9\u0131\u212a\uff21\u0660\ud800\udc00\u202e";
        List<String> texts = new ArrayList<>(List.of("", " ", "a", "A", "0", "-", ".", "a ", " a", "a-", "-a", "a.", "a b", "a_b", "a:b/c", "a@b+c", "K", "k8s", "8k"));
        Random random = new Random(253);
        for (int i = 0; i < 200_000; i++) {
            int length = 1 + random.nextInt(6);
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < length; c++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(text.toString());
        }
        for (String text : texts) {
            for (Map.Entry<IdentityNames.Rule, Pattern> rule : PATTERNS.entrySet()) {
                assertThat(rule.getKey().matches(text)).as("%s '%s'", rule.getKey(), text).isEqualTo(rule.getValue().matcher(text).matches());
            }
        }
    }
}
