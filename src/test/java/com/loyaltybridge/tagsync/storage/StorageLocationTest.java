package com.loyaltybridge.tagsync.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageLocationTest {

    @Test
    void s3LocationsAreNormalizedToOneFormSoTheSameFolderIsOneSync() {
        StorageLocation withSlash = StorageLocation.parse("s3://exports/segment-export/SEG/2026-11-28/abc-1764316800/");
        StorageLocation withoutSlash = StorageLocation
            .parse("s3://exports/segment-export/SEG/2026-11-28/abc-1764316800");

        assertThat(withSlash).isEqualTo(withoutSlash);
        assertThat(withSlash.uri()).isEqualTo("s3://exports/segment-export/SEG/2026-11-28/abc-1764316800/");
        assertThat(withSlash.bucket()).isEqualTo("exports");
        assertThat(withSlash.prefix()).isEqualTo("segment-export/SEG/2026-11-28/abc-1764316800/");
    }

    @Test
    void aBucketRootHasAnEmptyPrefix() {
        assertThat(StorageLocation.parse("s3://exports").prefix()).isEmpty();
        assertThat(StorageLocation.parse("s3://exports/").uri()).isEqualTo("s3://exports/");
    }

    @Test
    void fileLocationsBecomeAbsoluteDirectories() {
        StorageLocation relative = StorageLocation.parse("file:samples/segment-export");
        StorageLocation absolute = StorageLocation.parse("file:/tmp/out/");
        StorageLocation uriForm = StorageLocation.parse("file:///tmp/out");

        assertThat(relative.directory()).isEqualTo(Path.of("samples/segment-export").toAbsolutePath());
        assertThat(absolute.uri()).isEqualTo("file:/tmp/out/");
        assertThat(uriForm).isEqualTo(absolute);
    }

    @Test
    void objectKeysAreTheFolderKeyPrefixAndTheName() {
        StorageLocation s3 = StorageLocation.parse("s3://exports/segment-export/SEG/2026-11-28/abc-1764316800/");
        StorageLocation directory = StorageLocation.parse("file:/tmp/out/");
        StorageLocation root = StorageLocation.parse("file:/");

        assertThat(new StoredObject(s3, "a.zip", 1, null, null).key())
            .isEqualTo("segment-export/SEG/2026-11-28/abc-1764316800/a.zip")
            .isEqualTo(s3.keyPrefix() + "a.zip");
        assertThat(new StoredObject(directory, "a.zip", 1, null, null).key()).isEqualTo("/tmp/out/a.zip")
            .isEqualTo(directory.keyPrefix() + "a.zip");
        assertThat(new StoredObject(root, "a.zip", 1, null, null).key()).isEqualTo("/a.zip");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", "exports/segment-export", "http://example.com/x", "s3://", "s3://Bad_Bucket/x",
            "s3://ab/x", "s3://exports//double", "s3://exports/a/../b", "s3://exports/./a", "file:" })
    void malformedLocationsAreRefusedWithAMessage(String text) {
        assertThatThrownBy(() -> StorageLocation.parse(text)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageNotContaining("Exception")
            .message()
            .isNotBlank();
    }

    @Test
    void subFoldersResolveWithoutEscapingTheParent() {
        StorageLocation output = StorageLocation.parse("s3://bulk/imports/");

        assertThat(output.resolve("SEG/2026-11-28/abc/job-7").uri())
            .isEqualTo("s3://bulk/imports/SEG/2026-11-28/abc/job-7/");
        assertThatThrownBy(() -> output.resolve("../other")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> output.resolve("/abs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lastSegmentsNameAnOutputAfterItsSource() {
        StorageLocation export = StorageLocation.parse("s3://exports/segment-export/SEG/2026-11-28/abc-1764316800/");

        assertThat(export.lastSegments(3)).isEqualTo("SEG/2026-11-28/abc-1764316800");
        assertThat(StorageLocation.parse("s3://exports/one/").lastSegments(3)).isEqualTo("one");
    }

}
