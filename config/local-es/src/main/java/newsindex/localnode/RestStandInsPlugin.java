package newsindex.localnode;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Stand-ins for REST endpoints that ES 8 serves from modules which are not on Maven Central:
 * <ul>
 *   <li>{@code GET /} and {@code HEAD /} (client {@code info()} / {@code ping()}), normally in
 *       {@code rest-root}; same response body as the real one.</li>
 *   <li>{@code GET /_data_stream[/{name}]}, normally in {@code data-streams}. Data streams can't be
 *       managed here, so this mostly answers "none" (404 for a concrete name) which is what e.g.
 *       the Python client's {@code helpers.reindex} asks before copying documents.</li>
 * </ul>
 */
public class RestStandInsPlugin extends Plugin implements ActionPlugin {

    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RestMainHandler(Node.NODE_NAME_SETTING.get(settings), clusterService::get), new GetDataStreamsHandler(clusterService::get));
    }

    static final class RestMainHandler extends BaseRestHandler {
        private final String nodeName;
        private final Supplier<ClusterService> clusterService;

        RestMainHandler(String nodeName, Supplier<ClusterService> clusterService) {
            this.nodeName = nodeName;
            this.clusterService = clusterService;
        }

        @Override
        public String getName() {
            return "newsindex_main_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            return channel -> {
                ClusterService cs = clusterService.get();
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                b.startObject();
                b.field("name", nodeName);
                b.field("cluster_name", cs.getClusterName().value());
                b.field("cluster_uuid", cs.state().metadata().clusterUUID());
                b.startObject("version")
                    .field("number", build.qualifiedVersion())
                    .field("build_flavor", build.flavor())
                    .field("build_type", build.type().displayName())
                    .field("build_hash", build.hash())
                    .field("build_date", build.date())
                    .field("build_snapshot", build.isSnapshot())
                    .field("lucene_version", IndexVersion.current().luceneVersion().toString())
                    .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                    .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                    .endObject();
                b.field("tagline", "You Know, for Search");
                b.endObject();
                if (request.method() == RestRequest.Method.HEAD) {
                    channel.sendResponse(new RestResponse(RestStatus.OK, b.getResponseContentTypeString(), BytesArray.EMPTY));
                } else {
                    channel.sendResponse(new RestResponse(RestStatus.OK, b));
                }
            };
        }
    }

    static final class GetDataStreamsHandler extends BaseRestHandler {
        private final Supplier<ClusterService> clusterService;

        GetDataStreamsHandler(Supplier<ClusterService> clusterService) {
            this.clusterService = clusterService;
        }

        @Override
        public String getName() {
            return "newsindex_get_data_streams_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/_data_stream"), new Route(RestRequest.Method.GET, "/_data_stream/{name}"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            String[] patterns = Strings.splitStringByCommaToArray(request.param("name", "*"));
            request.param("expand_wildcards"); // accepted and ignored
            return channel -> {
                Set<String> existing = clusterService.get().state().metadata().dataStreams().keySet();
                List<String> matched = new ArrayList<>();
                for (String pattern : patterns) {
                    List<String> hits = existing.stream().filter(n -> Regex.simpleMatch(pattern, n)).sorted().toList();
                    if (hits.isEmpty() && Regex.isSimpleMatchPattern(pattern) == false) {
                        channel.sendResponse(new RestResponse(channel, new IndexNotFoundException(pattern)));
                        return;
                    }
                    matched.addAll(hits);
                }
                XContentBuilder b = channel.newBuilder();
                b.startObject().startArray("data_streams");
                for (String name : matched) {
                    b.startObject().field("name", name).endObject(); // names only: a stand-in
                }
                b.endArray().endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, b));
            };
        }
    }
}
