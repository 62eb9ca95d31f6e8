package org.elasticsearch.plugins;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link PluginsService} whose plugins are plain classes on the JVM classpath instead of
 * bundles under {@code modules/} and {@code plugins/} (which need a full ES distribution).
 * <p>
 * Lives in {@code org.elasticsearch.plugins} (a split package; fine on the classpath) because
 * {@link PluginsService.LoadedPlugin} and {@code loadExtensions} are package-private.
 * Modelled on the test framework's {@code MockPluginsService}, which isn't needed at runtime.
 */
public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> classpathPlugins;

    public ClasspathPluginsService(Settings settings, Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        // an empty loader: no module/plugin bundles are scanned on disk
        super(settings, environment.configDir(), PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false));
        List<LoadedPlugin> loaded = new ArrayList<>();
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            Plugin plugin = loadPlugin(pluginClass, settings, environment.configDir());
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getName(),
                "classpath plugin",
                "NA",
                Build.current().version(),
                Integer.toString(Runtime.version().feature()),
                pluginClass.getName(),
                null,
                List.of(),
                false,
                false,
                false,
                false
            );
            loaded.add(new LoadedPlugin(descriptor, plugin, ClasspathPluginsService.class.getClassLoader()));
        }
        loadExtensions(loaded);
        this.classpathPlugins = List.copyOf(loaded);
    }

    @Override
    protected final List<LoadedPlugin> plugins() {
        return classpathPlugins;
    }

    @Override
    public PluginsAndModules info() {
        return new PluginsAndModules(classpathPlugins.stream().map(LoadedPlugin::descriptor).map(PluginRuntimeInfo::new).toList(), List.of());
    }

    /**
     * All plugins share one class loader, so SPI lookups would find every provider once per
     * plugin; de-duplicate by implementation class.
     */
    @Override
    public <T> List<? extends T> loadServiceProviders(Class<T> service) {
        Map<Class<?>, T> result = new LinkedHashMap<>();
        for (LoadedPlugin loadedPlugin : plugins()) {
            for (T extension : createExtensions(service, loadedPlugin.instance())) {
                result.putIfAbsent(extension.getClass(), extension);
            }
        }
        return List.copyOf(result.values());
    }

    private static <T> List<T> createExtensions(Class<T> service, Plugin plugin) {
        List<T> extensions = new ArrayList<>();
        var classes = org.elasticsearch.plugins.spi.SPIClassIterator.get(service, plugin.getClass().getClassLoader());
        while (classes.hasNext()) {
            Class<? extends T> extensionClass = classes.next();
            // skip providers whose one-arg constructor wants a different plugin type
            boolean compatible = true;
            for (var constructor : extensionClass.getConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] != plugin.getClass()) {
                    compatible = false;
                    break;
                }
            }
            if (compatible) {
                extensions.add(createExtension(extensionClass, service, plugin));
            }
        }
        return extensions;
    }
}
