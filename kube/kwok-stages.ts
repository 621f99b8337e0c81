/**
 * kwok's pod lifecycle for the loopback clusters, as kwok Stage objects. kwok's built-in stages mark pods Running but
 * leave `containerID` empty, which no kubelet does: Chaos Mesh resolves every container by that id before it looks
 * for the chaos-daemon on the node, so without it a StressChaos fails on "container not found" instead of on the
 * missing daemon a real cluster would report. These two stages replace the built-in ones:
 *  - ready: a scheduled pod without an IP gets Running, Ready conditions and one running status per container,
 *    each with a containerd-style id made of the pod UID and the container name;
 *  - delete: a pod marked for deletion has its finalizers cleared and is deleted (graceful deletion is immediate).
 */
export const KWOK_STAGES = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: faultline-pod-ready
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
      - key: '.metadata.deletionTimestamp'
        operator: 'DoesNotExist'
      - key: '.status.podIP'
        operator: 'DoesNotExist'
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $uid := .metadata.uid }}
      conditions:
        - { type: Initialized, status: "True", lastTransitionTime: {{ $now | Quote }} }
        - { type: Ready, status: "True", lastTransitionTime: {{ $now | Quote }} }
        - { type: ContainersReady, status: "True", lastTransitionTime: {{ $now | Quote }} }
      containerStatuses:
      {{ range .spec.containers }}
        - name: {{ .name | Quote }}
          image: {{ .image | Quote }}
          imageID: {{ .image | Quote }}
          containerID: {{ printf "containerd://%s-%s" $uid .name | Quote }}
          ready: true
          started: true
          restartCount: 0
          state:
            running:
              startedAt: {{ $now | Quote }}
      {{ end }}
      hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
      podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}
      phase: Running
      startTime: {{ $now | Quote }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: faultline-pod-delete
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
      - key: '.metadata.deletionTimestamp'
        operator: 'Exists'
  next:
    finalizers:
      empty: true
    delete: true
`;

export const kwokStagesFile = (runDir: string) => `${runDir}/kwok-stages.yaml`;
