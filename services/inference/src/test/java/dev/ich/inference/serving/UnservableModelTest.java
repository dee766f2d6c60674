package dev.ich.inference.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Models serving cannot feed: a 2.5D slice model (it would need each slice's neighbours) and a study head. */
class UnservableModelTest {

    private static JsonNode json(String text) throws Exception {
        return Events.JSON.readTree(text);
    }

    @Test
    void aContextModelIsRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> ModelLoader.refuseUnservable("ich/v3", json("{\"preprocessing\": {\"pipeline\": \"p0123456789ab\", \"context\": 1}}")))
                .isInstanceOf(ModelLoader.ModelLoadException.class)
                .hasMessageContaining("ich/v3 was trained on 2.5D input (context 1")
                .hasMessageContaining("serve a model trained with context 0");
    }

    @Test
    void aStudyHeadIsRefusedNamingItsSourceModel() throws Exception {
        assertThatThrownBy(() -> ModelLoader.refuseUnservable("ich-head/v1", json("{\"kind\": \"study-head\", \"sourceModel\": \"model:ich/v3\"}")))
                .isInstanceOf(ModelLoader.ModelLoadException.class)
                .hasMessageContaining("model:ich/v3")
                .hasMessageContaining("serve its source model");
    }

    @Test
    void singleSliceModelsOldAndNewLoad() throws Exception {
        assertThatCode(() -> ModelLoader.refuseUnservable("ich/v1", json("{\"preprocessing\": {\"pipeline\": \"p0123456789ab\"}}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> ModelLoader.refuseUnservable("ich/v2", json("{\"preprocessing\": {\"context\": 0}}"))).doesNotThrowAnyException();
    }
}
