package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.InputRecord;
import dev.attune.decision.CustomerLifecycle;
import dev.attune.signals.CustomerState;
import dev.attune.signals.Events;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * What a customer costs in state, serialised as Flink stores it: a quiet customer (a profile and a
 * few events), what expiry and Forget Me keep (the refusals), and a linked visitor all stay under
 * 1 KiB.
 */
class StateSizeTest {
    static final TypeSerializer<CustomerState> SERIALIZER =
            TypeInformation.of(CustomerState.class).createSerializer(new SerializerConfigImpl());
    static final long DAY = 86_400_000L;

    static int bytes(CustomerState s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(s, out);
        return out.length();
    }

    static CustomerState quietCustomer() {
        Events.Run run = Events.Run.consenting();
        long t = Events.T0;
        for (InputRecord e : new InputRecord[] {
            Events.identify("i1", t, "timezone", "Europe/Berlin", "locale", "de-DE", "tier", "gold"),
            Events.page("p1", t + 60_000, "pricing"),
            Events.page("p2", t + 120_000, "settings"),
            Events.track("f1", t + 180_000, "Feature Used", "feature", "export"),
            Events.track("u1", t + 240_000, "Unsubscribed", "channel", "sms")
        }) {
            run.feed(e);
        }
        return run.state;
    }

    @Test
    void aQuietCustomerCostsUnderOneKibibyte() throws Exception {
        assertThat(bytes(quietCustomer())).isLessThan(1024);
    }

    @Test
    void whatExpiryAndErasureKeepIsSmaller() throws Exception {
        CustomerState s = quietCustomer();
        CustomerState expired = CustomerLifecycle.afterExpiry(s);
        CustomerState forgotten = CustomerLifecycle.afterForgetMe(s, Events.T0 + DAY);
        assertThat(expired.unsubscribed).isNotZero();
        assertThat(bytes(expired)).isLessThan(bytes(s)).isLessThan(200);
        assertThat(bytes(forgotten)).isLessThan(bytes(s)).isLessThan(300);
    }

    @Test
    void aLinkedVisitorKeepsOnlyTheLink() throws Exception {
        CustomerState visitor = new CustomerState();
        visitor.linkedTo = "user-" + "x".repeat(36);
        visitor.lastEventTime = Events.T0;
        // the id (41 characters) and a null marker per field of the POJO
        assertThat(bytes(CustomerLifecycle.afterExpiry(visitor))).isLessThan(256);
    }
}
