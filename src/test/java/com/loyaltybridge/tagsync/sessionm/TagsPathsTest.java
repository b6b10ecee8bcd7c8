package com.loyaltybridge.tagsync.sessionm;

import java.net.URI;

import org.junit.jupiter.api.Test;

import com.loyaltybridge.tagsync.sessionm.TagsPaths.Target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TagsPathsTest {

    private static final URI ENDPOINT = URI.create("https://api-tenant1.ent-sessionm.com/");

    @Test
    void theDocumentedPathCarriesTheKeyAndOneEncodedIdentifierSegment() {
        Target target = new TagsPaths(TagsPaths.DOCUMENTED_TAGS_PATH).tags(ENDPOINT, "k/ey", IdentifierType.EXTERNAL_ID,
                "../x?y");

        assertThat(target.uri().getRawPath()).isEqualTo("/priv/v1/apps/k%2Fey/external/users/..%2Fx%3Fy/tags");
        assertThat(target.uri().getRawQuery()).isNull();
        assertThat(target.uri().getHost()).isEqualTo("api-tenant1.ent-sessionm.com");
        assertThat(target.loggablePath()).isEqualTo("/priv/v1/apps/***/external/users/..%2Fx%3Fy/tags");
        assertThat(target).hasToString(target.loggablePath());
    }

    @Test
    void theReadPathIsASetting() {
        Target target = new TagsPaths("/priv/v1/apps/{api_key}/{collection}/{identifier}/tags/list")
            .readTags(URI.create("http://localhost:8080/base"), "key", IdentifierType.USER_ID, "..");

        assertThat(target.uri()).hasToString("http://localhost:8080/base/priv/v1/apps/key/users/%2E%2E/tags/list");
    }

    @Test
    void aReadPathWithoutTheIdentifierIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new TagsPaths("/priv/v1/apps/{api_key}/{collection}/tags"))
            .withMessageContaining("{identifier}");
    }

}
