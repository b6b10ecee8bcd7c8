package com.loyaltybridge.tagsync.brazeexport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class BrazeExportSettingsTest {

    @Test
    void unsetLimitsTakeTheirDefaults() {
        BrazeExportSettings settings = bind(Map.of());

        assertThat(settings.maxLineSize()).isEqualTo(DataSize.ofMegabytes(1));
        assertThat(settings.maxUncompressedSizePerObject()).isEqualTo(DataSize.ofGigabytes(1));
        assertThat(settings.maxIdentifierLength()).isEqualTo(255);
    }

    @Test
    void limitsAreBoundFromTheirProperties() {
        BrazeExportSettings settings = bind(Map.of("braze.export.max-line-size", "64KB",
                "braze.export.max-uncompressed-size-per-object", "200MB", "braze.export.max-identifier-length", "64"));

        assertThat(settings)
            .isEqualTo(new BrazeExportSettings(DataSize.ofKilobytes(64), DataSize.ofMegabytes(200), 64));
    }

    @Test
    void aLimitThatAllowsNothingIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("braze.export.max-identifier-length", "0")))
            .isInstanceOf(BindException.class)
            .rootCause()
            .hasMessage("braze.export.max-identifier-length must be positive, not 0");
    }

    private static BrazeExportSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("braze.export",
                BrazeExportSettings.class);
    }

}
