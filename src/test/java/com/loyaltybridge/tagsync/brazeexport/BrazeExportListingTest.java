package com.loyaltybridge.tagsync.brazeexport;

import static com.loyaltybridge.tagsync.support.ExportFixtures.gzipOfLines;
import static com.loyaltybridge.tagsync.support.ExportFixtures.user;
import static com.loyaltybridge.tagsync.support.ExportFixtures.zipOfLines;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;
import com.loyaltybridge.tagsync.support.ExportFolder;
import com.loyaltybridge.tagsync.support.StorageBackend;

@ExtendWith(OutputCaptureExtension.class)
@ParameterizedClass(name = "{0}")
@MethodSource("com.loyaltybridge.tagsync.support.StorageBackend#all")
class BrazeExportListingTest {

    private final StorageBackend backend;

    private final BrazeExportListing listing;

    BrazeExportListingTest(StorageBackend backend) {
        this.backend = backend;
        this.listing = new BrazeExportListing(backend.store());
    }

    @Test
    void theExportIsItsZipAndGzObjectsSortedByNameWhateverTheirCase(CapturedOutput output) {
        StorageLocation export = ExportFolder.of("SEG-1")
            .writeTo(backend,
                    Map.of("c1d2.zip", zipOfLines(user("u3")), "a9f0.gz", gzipOfLines(user("u1")), "b7e4.ZIP",
                            zipOfLines(user("u2")), "README.txt", "not an export object".getBytes(UTF_8), "users.json",
                            user("u4").getBytes(UTF_8), "nested/d000.zip", zipOfLines(user("u5"))));

        assertThat(listing.objectsOf(export)).extracting(StoredObject::name)
            .containsExactly("a9f0.gz", "b7e4.ZIP", "c1d2.zip");
        assertThat(output.getOut()).containsOnlyOnce(
                "Ignoring 2 objects in " + export + " that are neither .zip nor .gz: README.txt, users.json");
    }

    @Test
    void aFolderWithoutExportObjectsIsNotAnExport() {
        StorageLocation empty = backend.newFolder(ExportFolder.of("SEG-1").path());

        assertThatThrownBy(() -> listing.objectsOf(empty)).isInstanceOf(ExportNotFoundException.class)
            .hasMessage("no .zip or .gz objects in " + empty);
    }

    @Test
    void aFolderWithOnlyOtherObjectsSaysWhatItHolds() {
        StorageLocation export = ExportFolder.of("SEG-1")
            .writeTo(backend, Map.of("users.json", user("u1").getBytes(UTF_8), "users.zip.part", new byte[10]));

        assertThatThrownBy(() -> listing.objectsOf(export)).isInstanceOf(ExportNotFoundException.class)
            .hasMessage("no .zip or .gz objects in " + export + " (only 2 other objects: users.json, users.zip.part)");
    }

}
