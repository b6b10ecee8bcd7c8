package com.loyaltybridge.tagsync.sessionm;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerTagsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"status\":\"ok\",\"user\":{\"tags\":[{\"name\":\"vip\",\"count\":2},{\"name\":\"t\",\"ttl\":9}]}}",
            "{\"status\":\"ok\",\"tags\":[\"vip\",\"t\"]}",
            "{\"status\":\"ok\",\"tags\":[{\"tag\":\"vip\"},{\"tag_name\":\"t\"},{\"count\":3},7]}" })
    void readsTagNamesWhereverTheAnswerPutsThem(String answer) {
        assertThat(CustomerTags.from(JsonMapper.shared().readTree(answer)))
            .contains(new CustomerTags(Set.of("vip", "t")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"status\":\"ok\"}", "{\"status\":\"ok\",\"user\":{\"tags\":\"vip\"}}", "[]" })
    void anAnswerWithoutATagListProvesNothing(String answer) {
        assertThat(CustomerTags.from(JsonMapper.shared().readTree(answer))).isEqualTo(Optional.empty());
    }

}
