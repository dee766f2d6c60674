package dev.ich.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Every value of values.yaml is documented with a @param, and helm/ich/README.md's table is made from them. */
class ValuesDocTest {
    static final String BEGIN = "<!-- Generated from values.yaml's ## @param comments (ValuesDoc); edit those, not this table. -->\n";
    static final String END = "<!-- End of the generated parameters. -->\n";

    @Test
    void everyLeafValueHasAParamOnItselfOrOnTheObjectItBelongsTo() {
        ValuesDoc doc = ValuesDoc.chart();
        Set<String> documented = doc.params().stream().map(ValuesDoc.Param::key).collect(Collectors.toSet());
        Set<String> undocumented = new TreeSet<>();
        for (String leaf : doc.leaves()) {
            boolean covered = false;
            for (String k = leaf; !covered && k != null; k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : null) {
                covered = documented.contains(k);
            }
            if (!covered) undocumented.add(leaf);
        }
        assertThat(undocumented).as("values without a ## @param (values.yaml)").isEmpty();
    }

    @Test
    void everyParamNamesAKeyOfValuesYamlOnceAndSaysSomething() {
        ValuesDoc doc = ValuesDoc.chart();
        assertThat(doc.params()).allSatisfy(p -> {
            assertThat(doc.at(p.key())).as("@param %s names no key of values.yaml", p.key()).isNotNull();
            assertThat(p.description()).as("@param %s", p.key()).isNotBlank();
        });
        assertThat(doc.params()).extracting(ValuesDoc.Param::key).doesNotHaveDuplicates();
        assertThat(doc.sections()).allSatisfy(s -> assertThat(s.params()).as("section %s", s.title()).isNotEmpty());
    }

    @Test
    void theReadmeParameterTableIsTheOneValuesYamlMakes() throws IOException {
        Path readme = Repo.chart().resolve("README.md");
        String current = Files.readString(readme);
        int begin = current.indexOf(BEGIN);
        int end = current.indexOf(END);
        assertThat(begin).as("README.md marks where the generated table begins").isNotNegative();
        assertThat(end).as("and where it ends").isGreaterThan(begin);
        String expected = current.substring(0, begin + BEGIN.length()) + ValuesDoc.chart().markdown() + current.substring(end);
        if (!expected.equals(current)) {
            // The build never writes into the sources: the up-to-date file is left beside the test output.
            Path generated = Path.of("target", "helm-ich-README.md").toAbsolutePath();
            Files.writeString(generated, expected);
            fail("helm/ich/README.md's parameter table is out of date with values.yaml; the generated one is at "
                    + generated + ": cp " + generated + " " + readme.toAbsolutePath());
        }
    }
}
