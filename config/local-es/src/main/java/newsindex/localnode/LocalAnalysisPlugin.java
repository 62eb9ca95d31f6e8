package newsindex.localnode;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.ru.RussianLightStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreBuiltAnalyzerProviderFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.indices.analysis.PreBuiltCacheFactory.CachingStrategy;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Stand-in for the parts of ES's {@code analysis-common} module that newsindex uses
 * (that module is not published to Maven Central). Everything is a thin wrapper around
 * Lucene classes from lucene-analysis-common, which the server already depends on.
 * <p>
 * The server itself already provides: analyzers {@code standard}/{@code keyword}, tokenizer
 * {@code standard}, filters {@code lowercase}, {@code stop} (with {@code _english_} etc.) and
 * {@code shingle}, and the {@code lowercase} normalizer.
 */
public class LocalAnalysisPlugin extends Plugin implements AnalysisPlugin {

    /** Filters usable by name, e.g. {@code "filter": ["lowercase", "asciifolding"]}. */
    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
            // "true" = multi-term aware, so it is allowed in a keyword normalizer
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new),
            PreConfiguredTokenFilter.singleton("english_possessive", false, EnglishPossessiveFilter::new)
        );
    }

    /** Configurable filters, e.g. {@code {"type": "stemmer", "language": "light_german"}}. */
    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of("asciifolding", AsciiFoldingFactory::new, "stemmer", StemmerFactory::new);
    }

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return List.of(
            PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new),
            PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new),
            PreConfiguredTokenizer.singleton("letter", LetterTokenizer::new)
        );
    }

    @Override
    public List<PreConfiguredCharFilter> getPreConfiguredCharFilters() {
        return List.of(PreConfiguredCharFilter.singleton("html_strip", false, HTMLStripCharFilter::new));
    }

    /** Language analyzers usable directly in mappings: {@code "analyzer": "english"}. */
    @Override
    public List<PreBuiltAnalyzerProviderFactory> getPreBuiltAnalyzerProviderFactories() {
        return List.of(
            analyzer("english", EnglishAnalyzer::new),
            analyzer("german", GermanAnalyzer::new),
            analyzer("french", FrenchAnalyzer::new),
            analyzer("spanish", SpanishAnalyzer::new),
            analyzer("russian", RussianAnalyzer::new)
        );
    }

    private static PreBuiltAnalyzerProviderFactory analyzer(String name, java.util.function.Supplier<Analyzer> create) {
        return new PreBuiltAnalyzerProviderFactory(name, CachingStrategy.ONE, create);
    }

    /** {@code asciifolding} with the {@code preserve_original} option. */
    static final class AsciiFoldingFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFoldingFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new ASCIIFoldingFilter(tokenStream, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream tokenStream) {
            // never emit two tokens for a normalized (keyword) value
            return new ASCIIFoldingFilter(tokenStream, false);
        }
    }

    /** A small subset of ES's {@code stemmer} filter; other names fall back to a Snowball stemmer. */
    static final class StemmerFactory extends AbstractTokenFilterFactory {
        private static final Map<String, Function<TokenStream, TokenStream>> STEMMERS = Map.of(
            "english", PorterStemFilter::new,
            "porter", PorterStemFilter::new,
            "minimal_english", EnglishMinimalStemFilter::new,
            "light_german", GermanLightStemFilter::new,
            "light_french", FrenchLightStemFilter::new,
            "light_spanish", SpanishLightStemFilter::new,
            "light_russian", RussianLightStemFilter::new
        );
        private final Function<TokenStream, TokenStream> stemmer;

        StemmerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            String language = settings.get("language", settings.get("name", "english")).toLowerCase(Locale.ROOT);
            Function<TokenStream, TokenStream> known = STEMMERS.get(language);
            if (known == null) {
                // e.g. "german" -> org.tartarus.snowball.ext.GermanStemmer; fails fast on unknown names
                String snowball = Character.toUpperCase(language.charAt(0)) + language.substring(1);
                new SnowballFilter(new KeywordTokenizer(), snowball);
                known = ts -> new SnowballFilter(ts, snowball);
            }
            this.stemmer = known;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return stemmer.apply(tokenStream);
        }
    }
}
