package com.loyaltybridge.tagsync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.util.unit.DataSize;

import com.loyaltybridge.tagsync.brazeexport.BrazeExportItemReader;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportListing;
import com.loyaltybridge.tagsync.brazeexport.BrazeExportSettings;
import com.loyaltybridge.tagsync.brazeexport.BrazeUserParser;
import com.loyaltybridge.tagsync.brazeexport.ExportLine;
import com.loyaltybridge.tagsync.brazeexport.ExportRecord;
import com.loyaltybridge.tagsync.brazeexport.IdentifierSource;
import com.loyaltybridge.tagsync.brazeexport.SkipReason;
import com.loyaltybridge.tagsync.storage.LocalObjectStore;
import com.loyaltybridge.tagsync.storage.StorageLocation;
import com.loyaltybridge.tagsync.storage.StoredObject;

/** The benchmark's exports are real ones: the sync's own reader and parser find every user and every hostile line. */
class ExportGeneratorTest {

    private static final BrazeExportSettings SETTINGS = new BrazeExportSettings(DataSize.ofMegabytes(1), DataSize.ofGigabytes(1), 255);

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(ExportGenerator.Format.class)
    void anExportHoldsEveryUserOnceInBrazesLayoutWithTheHostileLinesAsked(ExportGenerator.Format format) {
        LocalObjectStore store = new LocalObjectStore();
        ExportGenerator.Spec spec = new ExportGenerator.Spec(12_001, 5_000, format, 0.01, 7, "bench-segment");

        StorageLocation export = new ExportGenerator(store).write(StorageLocation.directory(root), spec);

        assertThat(export.uri()).matches("file:.*/segment-export/bench-segment/2026-11-28/[0-9a-f-]{36}-1764288000/");
        List<StoredObject> objects = new BrazeExportListing(store).objectsOf(export);
        assertThat(objects).hasSize(3).allSatisfy(object -> assertThat(object.name())
                .matches("[0-9a-f]{32}\\." + format.name().toLowerCase()));
        Set<String> users = new HashSet<>();
        Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
        BrazeUserParser parser = new BrazeUserParser(IdentifierSource.EXTERNAL_ID, SETTINGS);
        BrazeExportItemReader<ExportLine> reader = BrazeExportItemReader.lines(store, objects, SETTINGS);
        reader.open(new ExecutionContext());
        try {
            for (ExportLine line; (line = reader.read()) != null; ) {
                ExportRecord record = parser.apply(line);
                if (record instanceof ExportRecord.ExportUser user) {
                    if (!users.add(user.identifier())) {
                        skipped.merge(SkipReason.DUPLICATE_USER, 1, Integer::sum);
                    }
                } else {
                    skipped.merge(((ExportRecord.SkippedLine) record).reason(), 1, Integer::sum);
                }
            }
        } finally {
            reader.close();
        }
        assertThat(users).hasSize(12_001).contains(ExportGenerator.externalId(1), ExportGenerator.externalId(12_001));
        assertThat(skipped.keySet()).contains(SkipReason.INVALID_JSON, SkipReason.WRONG_TYPE, SkipReason.MISSING_IDENTIFIER,
                SkipReason.INVALID_IDENTIFIER, SkipReason.DUPLICATE_USER);
        assertThat(skipped.values().stream().mapToInt(Integer::intValue).sum()).isBetween(50, 200);
    }
}
