package dev.devloop.gateway.adapters.in.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict typed-parameter rules, value by value (the HTTP behaviour is in {@link ClientContractTest}). */
class StrictParamsTest {
    private static final StrictParams PARAMS = new StrictParams();

    private static Annotation[] query(String name) {
        return new Annotation[] {
            new QueryParam() {
                @Override
                public String value() {
                    return name;
                }

                @Override
                public Class<? extends Annotation> annotationType() {
                    return QueryParam.class;
                }
            }
        };
    }

    @Test
    void wholeNumbersUpToTheTypesMaximumPassAndEverythingElseNamesTheParameter() {
        ParamConverter<Integer> limit = PARAMS.getConverter(Integer.class, Integer.class, query("limit"));
        assertThat(limit.fromString("0")).isZero();
        assertThat(limit.fromString("42")).isEqualTo(42);
        assertThat(limit.fromString("2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(limit.fromString(null)).isNull();
        for (String bad : List.of(
                "", "abc", "-1", "+1", "1.5", "1e3", " 1", "2147483648", "99999999999999999999", "0x10", "١٢")) {
            assertThatThrownBy(() -> limit.fromString(bad))
                    .as(bad)
                    .isInstanceOf(StrictParams.InvalidParameter.class)
                    .satisfies(e -> assertThat(((StrictParams.InvalidParameter) e)
                                    .problem()
                                    .field())
                            .isEqualTo("limit"))
                    .satisfies(e -> assertThat(((StrictParams.InvalidParameter) e)
                                    .problem()
                                    .status())
                            .isEqualTo(400));
        }
        ParamConverter<Long> big = PARAMS.getConverter(Long.class, Long.class, query("n"));
        assertThat(big.fromString("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> big.fromString("9223372036854775808"))
                .isInstanceOf(StrictParams.InvalidParameter.class);
    }

    @Test
    void booleansAreTrueOrFalseOnly() {
        ParamConverter<Boolean> wait = PARAMS.getConverter(boolean.class, boolean.class, query("wait"));
        assertThat(wait.fromString("true")).isTrue();
        assertThat(wait.fromString("false")).isFalse();
        for (String bad : List.of("yes", "1", "TRUE", "")) {
            assertThatThrownBy(() -> wait.fromString(bad))
                    .isInstanceOf(StrictParams.InvalidParameter.class)
                    .satisfies(e -> assertThat(((StrictParams.InvalidParameter) e)
                                    .problem()
                                    .field())
                            .isEqualTo("wait"));
        }
    }

    @Test
    void stringsAndUnannotatedParametersAreLeftToJaxRs() {
        assertThat(PARAMS.getConverter(String.class, String.class, query("cursor")))
                .isNull();
        assertThat(PARAMS.getConverter(Integer.class, Integer.class, new Annotation[0]))
                .isNull();
    }
}
