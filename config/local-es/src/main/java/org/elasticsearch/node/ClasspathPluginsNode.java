package org.elasticsearch.node;

import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real {@link Node} whose plugins are given as classes instead of being loaded from a
 * distribution's {@code modules/} directory.
 * <p>
 * In {@code org.elasticsearch.node} because {@link NodeServiceProvider} and the
 * {@code Node(NodeConstruction)} constructor are package-private (same trick as the
 * test framework's {@code MockNode}, without its test-only mocks).
 */
public class ClasspathPluginsNode extends Node {

    /** The node/cluster-id logging listener is JVM-global (SetOnce); only the first node may install it. */
    private static final AtomicBoolean ID_LISTENER_CONFIGURED = new AtomicBoolean();

    public ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(
            NodeConstruction.prepareConstruction(
                environment,
                PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false),
                new NodeServiceProvider() {
                    @Override
                    PluginsService newPluginService(Environment env, PluginsLoader pluginsLoader) {
                        return new ClasspathPluginsService(env.settings(), env, List.copyOf(plugins));
                    }
                },
                true
            )
        );
    }

    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {
        if (ID_LISTENER_CONFIGURED.compareAndSet(false, true)) {
            super.configureNodeAndClusterIdStateListener(clusterService);
        }
    }
}
