package dev.sequin.tck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Path matching (API.md section 2): {@code {name}} within one segment, {@code long}, {@code float} and {@code *rest} converters,
 * custom converters (a failing one is a non-match, a {@code *name} one spans slashes),
 * {@code params()}, static before dynamic before {@code *rest}, and a view with several routes.
 *
 * <pre>{@code
 * class MyBackendTckTest extends BackendTck { ... }   // runs these with every other contract
 * }</pre>
 */
public interface PathContract extends TckContext {

    private void assertTyped(String target, String json) throws Exception {
        HttpResponse<String> r = get(target);
        assertEquals(200, r.statusCode(), target);
        assertEquals(json(json), json(r.body()), target);
    }

    @Test
    default void plainParameterMatchesOneSegmentOnly() throws Exception {
        assertEquals("one|/echo/one", get("/echo/one").body());
        assertEquals(404, get("/echo/one/two").statusCode());
    }

    @Test
    default void longConverterGivesALong() throws Exception {
        assertTyped("/path/long/9000000000", "{\"n\":{\"value\":\"9000000000\",\"type\":\"Long\"}}");
        assertTyped("/path/long/-7", "{\"n\":{\"value\":\"-7\",\"type\":\"Long\"}}");
    }

    @Test
    default void floatConverterGivesADouble() throws Exception {
        assertTyped("/path/float/2.5", "{\"x\":{\"value\":\"2.5\",\"type\":\"Double\"}}");
        assertTyped("/path/float/3", "{\"x\":{\"value\":\"3.0\",\"type\":\"Double\"}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/path/long/abc", "/path/long/1.5", "/path/float/x1", "/path/float/1.2.3"})
    default void numberConverterRejectsWhatIsNotItsType(String target) throws Exception {
        assertEquals(404, get(target).statusCode());
    }

    @Test
    default void restConverterTakesTheRestOfThePathSlashesIncluded() throws Exception {
        assertTyped("/path/rest/a/b/c.txt", "{\"p\":{\"value\":\"a/b/c.txt\",\"type\":\"String\"}}");
        assertTyped("/path/rest/one", "{\"p\":{\"value\":\"one\",\"type\":\"String\"}}");
    }

    @Test
    default void customConverterGivesItsType() throws Exception {
        assertTyped("/path/month/7", "{\"m\":{\"value\":\"JULY\",\"type\":\"Month\"}}");
    }

    @Test
    default void customConverterThatThrowsIsANonMatch() throws Exception {
        HttpResponse<String> r = get("/path/month/13");
        assertEquals(404, r.statusCode(), "Month.of(13) throws: the route does not match");
        assertEquals("Not Found", r.body());
    }

    @Test
    default void customConverterPatternMismatchIsANonMatch() throws Exception {
        assertEquals(404, get("/path/month/july").statusCode());
    }

    @Test
    default void customRestConverterSpansSlashes() throws Exception {
        assertTyped("/path/dotted/a/bc/d", "{\"p\":{\"value\":\"a.bc.d\",\"type\":\"String\"}}");
        assertEquals(404, get("/path/dotted/a/B").statusCode(), "its pattern admits lower-case letters only");
    }

    @Test
    default void paramsHoldEveryConvertedValue() throws Exception {
        HttpResponse<String> r = get("/path/params/caf%C3%A9/12/0.5/x/y");
        assertEquals(200, r.statusCode());
        assertEquals(json("{\"name\":\"caf\u00e9\",\"n\":12,\"x\":0.5,\"tail\":\"x/y\"}"), json(r.body()));
    }

    @Test
    default void staticBeatsDynamicBeatsRest() throws Exception {
        assertEquals("static", get("/path/prec/fixed").body());
        assertEquals("dynamic other", get("/path/prec/other").body());
        assertEquals("rest a/b", get("/path/prec/a/b").body());
    }

    @Test
    default void failedConverterFallsThroughToTheNextRoute() throws Exception {
        assertEquals("int 12", get("/path/fall/12").body());
        assertEquals("rest twelve", get("/path/fall/twelve").body());
    }

    @Test
    default void repeatableRouteServesOneViewAtEachPath() throws Exception {
        HttpResponse<String> one = get("/path/several/one");
        HttpResponse<String> two = get("/path/several/two/2");
        assertEquals(200, one.statusCode());
        assertEquals(200, two.statusCode());
        String[] first = one.body().split(" ");
        String[] second = two.body().split(" ");
        assertEquals("/path/several/one", first[0]);
        assertEquals("/path/several/two/2", second[0]);
        assertEquals(first[1], second[1], "one view instance serves both routes");
        assertEquals(404, get("/path/several/two/x").statusCode());
    }
}
