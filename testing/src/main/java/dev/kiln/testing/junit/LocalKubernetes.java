package dev.kiln.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real local Kubernetes control plane (etcd and kube-apiserver, and
 * on request kube-scheduler and kube-controller-manager). One control plane serves every class
 * in the test JVM; each class gets a namespace of its own. Test methods, constructors and
 * lifecycle methods can take a {@link TestCluster} or an admin
 * {@link io.fabric8.kubernetes.client.KubernetesClient} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalKubernetesExtension.class)
public @interface LocalKubernetes {

  /** Also run kube-scheduler, so pods get bound to nodes. */
  boolean scheduler() default false;

  /** Also run kube-controller-manager (garbage collection, namespaces, node lifecycle, ...). */
  boolean controllerManager() default false;
}
