// One Jacobi step of membrane (Laplace) interpolation inside the mask: each
// masked texel moves to the mean of its four neighbours, unmasked texels keep
// the image. Started from the push-pull fill, a few steps smooth away its
// block structure, so holes continue the gradients around them.
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_mask;
uniform sampler2D u_current;

void main() {
  vec2 p = currentTexel();
  float m = texelAt(u_mask, u_image_size, p).r;
  vec3 neighbours = 0.25 * (texelAt(u_current, u_image_size, p + vec2(1.0, 0.0)).rgb + texelAt(u_current, u_image_size, p - vec2(1.0, 0.0)).rgb +
                            texelAt(u_current, u_image_size, p + vec2(0.0, 1.0)).rgb + texelAt(u_current, u_image_size, p - vec2(0.0, 1.0)).rgb);
  gl_FragColor = vec4(mix(texelAt(u_image, u_image_size, p).rgb, neighbours, m), 1.0);
}
