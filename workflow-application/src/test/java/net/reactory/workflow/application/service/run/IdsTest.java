package net.reactory.workflow.application.service.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void givenOneRunner_whenAMillionIdsMade_thenAllDistinctAndShapedAsVersion4Uuids() {
        Ids ids = new Ids();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            String id = ids.next();
            assertThat(seen.add(id)).as("id %s made twice", id).isTrue();
            if (i % 1000 == 0) {
                UUID parsed = UUID.fromString(id);
                assertThat(parsed.version()).isEqualTo(4);
                assertThat(parsed.variant()).isEqualTo(2);
                assertThat(parsed.toString()).isEqualTo(id);
            }
        }
    }

    @Test
    void givenTwoRunners_whenIdsMade_thenTheyDifferInTheirFirstHalf() {
        String a = new Ids(new SecureRandom()).next();
        String b = new Ids(new SecureRandom()).next();

        assertThat(UUID.fromString(a).getMostSignificantBits()).isNotEqualTo(UUID.fromString(b).getMostSignificantBits());
    }
}
